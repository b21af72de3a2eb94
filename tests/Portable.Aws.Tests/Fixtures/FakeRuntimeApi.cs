using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Portable.Aws.Tests.Fixtures;

/// <summary>What the runtime posted for one invocation.</summary>
public sealed record Outcome(string Kind, string Body, string? ErrorType)
{
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>An event queued on the fake Runtime API.</summary>
public sealed record PendingEvent(string RequestId, byte[] Payload, Dictionary<string, string> Headers);

/// <summary>
/// Plays the Lambda Runtime API 2018-06-01 on a loopback port: hands out queued events on GET next, records responses and
/// errors, answers 413 to a response over <see cref="MaxResponseBytes"/> as Lambda does over 6 MB.
/// </summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly Channel<PendingEvent> _pending = Channel.CreateUnbounded<PendingEvent>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Outcome>> _outcomes = new();
    private readonly TaskCompletionSource<Outcome> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _next;

    private FakeRuntimeApi(WebApplication web) => _web = web;

    public string Address { get; private set; } = "";

    public int MaxResponseBytes { get; set; } = 6 * 1024 * 1024;

    public ConcurrentQueue<(string RequestId, int Status)> RefusedResponses { get; } = new();

    public Task<Outcome> InitError => _initError.Task;

    public static async Task<FakeRuntimeApi> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, 0);
        });
        var web = builder.Build();
        var api = new FakeRuntimeApi(web);
        web.Run(api.HandleAsync);
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Address = new Uri(address).Authority;
        return api;
    }

    public Task<Outcome> Enqueue(string payload, Dictionary<string, string>? headers = null)
        => Enqueue(System.Text.Encoding.UTF8.GetBytes(payload), headers);

    public Task<Outcome> Enqueue(byte[] payload, Dictionary<string, string>? headers = null)
    {
        var id = "req-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var outcome = _outcomes.GetOrAdd(id, _ => new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        var all = new Dictionary<string, string>(headers ?? [], StringComparer.OrdinalIgnoreCase);
        all.TryAdd("Lambda-Runtime-Deadline-Ms", DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        all.TryAdd("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:test");
        _pending.Writer.TryWrite(new PendingEvent(id, payload, all));
        return outcome.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        const string prefix = "/2018-06-01/runtime/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var rest = path[prefix.Length..].Split('/');
        using var reader = new StreamReader(context.Request.Body);
        switch (rest)
        {
            case ["invocation", "next"] when context.Request.Method == "GET":
                PendingEvent next;
                try
                {
                    next = await _pending.Reader.ReadAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
                foreach (var (name, value) in next.Headers) context.Response.Headers[name] = value;
                context.Response.ContentType = "application/json";
                if (!next.Headers.ContainsKey("X-Test-Chunked")) context.Response.ContentLength = next.Payload.Length; // as the Runtime API does
                await context.Response.Body.WriteAsync(next.Payload);
                return;
            case ["invocation", var id, "response"] when context.Request.Method == "POST":
                var body = await reader.ReadToEndAsync();
                if (System.Text.Encoding.UTF8.GetByteCount(body) > MaxResponseBytes)
                {
                    RefusedResponses.Enqueue((id, 413));
                    context.Response.StatusCode = 413;
                    await context.Response.WriteAsync("{\"errorMessage\":\"Exceeded maximum allowed payload size (6291556 bytes).\",\"errorType\":\"RequestEntityTooLarge\"}");
                    return;
                }

                Complete(id, new Outcome("response", body, null));
                context.Response.StatusCode = 202;
                return;
            case ["invocation", var id, "error"] when context.Request.Method == "POST":
                Complete(id, new Outcome("error", await reader.ReadToEndAsync(), context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString()));
                context.Response.StatusCode = 202;
                return;
            case ["init", "error"] when context.Request.Method == "POST":
                _initError.TrySetResult(new Outcome("init-error", await reader.ReadToEndAsync(), context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString()));
                context.Response.StatusCode = 202;
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private void Complete(string id, Outcome outcome)
    {
        var source = _outcomes.GetOrAdd(id, _ => new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!source.TrySetResult(outcome)) throw new InvalidOperationException($"Invocation {id} was answered twice.");
    }
}
