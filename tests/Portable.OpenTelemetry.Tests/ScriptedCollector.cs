using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portable.OpenTelemetry.Tests;

/// <summary>An in-test OTLP endpoint (Kestrel on a free loopback port) that answers each request with the next scripted response.</summary>
internal sealed class ScriptedCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpResponse, Task>> _script = new();
    private readonly ConcurrentQueue<Received> _received = new();

    private ScriptedCollector(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public IReadOnlyList<Received> Requests => [.. _received];

    public static async Task<ScriptedCollector> StartAsync(params Func<HttpResponse, Task>[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new ScriptedCollector(app);
        foreach (var step in script) collector._script.Enqueue(step);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            collector._received.Enqueue(new Received(
                DateTime.UtcNow,
                context.Request.Path,
                context.Request.ContentType ?? "",
                context.Request.Headers.ContentEncoding.ToString(),
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
            if (collector._script.TryDequeue(out var respond)) await respond(context.Response);
            else context.Response.StatusCode = 200;
        });
        await app.StartAsync();
        collector.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return collector;
    }

    public static Func<HttpResponse, Task> Status(int status, string? retryAfter = null, string body = "") => async response =>
    {
        response.StatusCode = status;
        if (retryAfter is not null) response.Headers.RetryAfter = retryAfter;
        if (body.Length > 0) await response.WriteAsync(body);
    };

    public static Func<HttpResponse, Task> Bytes(int status, byte[] body) => async response =>
    {
        response.StatusCode = status;
        response.ContentType = "application/x-protobuf";
        await response.Body.WriteAsync(body);
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Received(DateTime At, string Path, string ContentType, string ContentEncoding, IReadOnlyDictionary<string, string> Headers, byte[] Body);
}
