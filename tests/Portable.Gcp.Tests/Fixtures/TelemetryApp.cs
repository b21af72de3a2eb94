using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>
/// A small app for the telemetry tests on the GCP host (real Kestrel, its Cloud Logging JSON lines captured): a queue function
/// that logs through the context's logger and an injected one, and an HTTP function that calls the URL in its <c>to</c> query
/// with an <see cref="HttpClient"/>.
/// </summary>
internal sealed class TelemetryApp : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly StringWriter _log;

    private TelemetryApp(WebApplication web, StringWriter log, string address, ConcurrentQueue<FunctionContext> contexts)
    {
        _web = web;
        _log = log;
        Contexts = contexts;
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    /// <summary>The context of every invocation, in order.</summary>
    public ConcurrentQueue<FunctionContext> Contexts { get; }

    public IReadOnlyList<string> LogLines
    {
        get
        {
            lock (_log) return _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }

    public static async Task<TelemetryApp> StartAsync(string target)
    {
        var contexts = new ConcurrentQueue<FunctionContext>();
        var builder = PortableApp.CreateBuilder([]);
        builder.AddJson(TestJsonContext.Default);
        builder.Services.AddSingleton(contexts);
        builder.Functions
            .MapQueue<LoggingJob, Job>("jobs", "jobs")
            .MapHttp<CallOut>("GET /call", "call");
        var log = new StringWriter();
        var settings = new GcpSettings { Port = 0, Target = target, ProjectId = "test-project" };
        var web = GcpHost.Build(builder.Build(), settings, logOutput: TextWriter.Synchronized(log));
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TelemetryApp(web, log, address, contexts);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}

/// <summary>Logs two lines (the context's logger and an injected one) and records its context.</summary>
public sealed partial class LoggingJob(ConcurrentQueue<FunctionContext> contexts, ILogger<LoggingJob> log) : IMessageHandler<Job>
{
    public Task HandleAsync(Job message, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        LogFromContext(context.Logger, message.Id);
        LogInjected(log, message.Id);
        contexts.Enqueue(context);
        return Task.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Information, "job {Id} through the context's logger")]
    private static partial void LogFromContext(ILogger logger, string id);

    [LoggerMessage(2, LogLevel.Warning, "job {Id} through an injected logger")]
    private static partial void LogInjected(ILogger logger, string id);
}

/// <summary>Calls the URL in its <c>to</c> query with a plain <see cref="HttpClient"/>, as a function calling another service would.</summary>
public sealed class CallOut(ConcurrentQueue<FunctionContext> contexts) : IHttpFunction
{
    private static readonly HttpClient Http = new();

    public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        contexts.Enqueue(context);
        using var response = await Http.GetAsync(new Uri(request.Query["to"]!), cancellationToken);
        return HttpResponseData.Text((int)response.StatusCode, "called");
    }
}
