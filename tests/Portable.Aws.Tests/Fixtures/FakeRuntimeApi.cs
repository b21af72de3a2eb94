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

    /// <summary>A streamed response ("streamed"): its bytes as received, the prelude included.</summary>
    public byte[] Bytes { get; init; } = [];

    /// <summary>A streamed response: its Content-Type.</summary>
    public string? ContentType { get; init; }

    /// <summary>A streamed response that failed: the Lambda-Runtime-Function-Error-Body trailer, base64-decoded.</summary>
    public string? ErrorBody { get; init; }
}

/// <summary>A streamed response while it arrives on the fake: the bytes so far, and a wait for more.</summary>
public sealed class StreamProgress(string requestId, string? contentType)
{
    private readonly object _gate = new();
    private readonly MemoryStream _received = new();
    private readonly List<(int Count, TaskCompletionSource<byte[]> Waiter)> _waiters = [];
    private bool _ended;

    public string RequestId { get; } = requestId;

    public string? ContentType { get; } = contentType;

    /// <summary>Completes once at least <paramref name="count"/> bytes have arrived (fails if the stream ends before).</summary>
    public Task<byte[]> WaitForBytesAsync(int count)
    {
        lock (_gate)
        {
            if (_received.Length >= count) return Task.FromResult(_received.ToArray());
            if (_ended) return Task.FromException<byte[]>(new InvalidOperationException($"The stream ended after {_received.Length} bytes, before {count}."));
            var waiter = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, waiter));
            return waiter.Task;
        }
    }

    internal void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _received.Write(bytes);
            foreach (var (count, waiter) in _waiters.ToArray())
            {
                if (_received.Length < count) continue;
                waiter.TrySetResult(_received.ToArray());
                _waiters.Remove((count, waiter));
            }
        }
    }

    internal byte[] End()
    {
        lock (_gate)
        {
            _ended = true;
            foreach (var (count, waiter) in _waiters) waiter.TrySetException(new InvalidOperationException($"The stream ended after {_received.Length} bytes, before {count}."));
            _waiters.Clear();
            return _received.ToArray();
        }
    }
}

/// <summary>An event queued on the fake Runtime API.</summary>
public sealed record PendingEvent(string RequestId, byte[] Payload, Dictionary<string, string> Headers);

/// <summary>
/// Plays the Lambda Runtime API 2018-06-01 on a loopback port: hands out queued events on GET next, records responses and
/// errors, answers 413 to a response over <see cref="MaxResponseBytes"/> as Lambda does over 6 MB. A response in the streaming
/// mode (Lambda-Runtime-Function-Response-Mode: streaming, chunked, with the error trailers) is read as it arrives
/// (<see cref="WaitForStreamAsync"/>) and recorded as a "streamed" outcome, answered <see cref="StreamAnswerStatus"/>.
/// </summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly Channel<PendingEvent> _pending = Channel.CreateUnbounded<PendingEvent>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Outcome>> _outcomes = new();
    private readonly TaskCompletionSource<Outcome> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<StreamProgress> _streams = Channel.CreateUnbounded<StreamProgress>();
    private int _next;

    private FakeRuntimeApi(WebApplication web) => _web = web;

    public string Address { get; private set; } = "";

    public int MaxResponseBytes { get; set; } = 6 * 1024 * 1024;

    public ConcurrentQueue<(string RequestId, int Status)> RefusedResponses { get; } = new();

    public Task<Outcome> InitError => _initError.Task;

    /// <summary>What the fake answers to a streamed response once it has read it: 202, as Lambda does, unless a test wants a refusal.</summary>
    public int StreamAnswerStatus { get; set; } = 202;

    /// <summary>The next streamed response, as soon as its request head has arrived.</summary>
    public ValueTask<StreamProgress> WaitForStreamAsync(CancellationToken cancellationToken = default) => _streams.Reader.ReadAsync(cancellationToken);

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
            case ["invocation", var id, "response"] when context.Request.Method == "POST" && context.Request.Headers["Lambda-Runtime-Function-Response-Mode"] == "streaming":
                await ReceiveStreamAsync(id, context);
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

    private async Task ReceiveStreamAsync(string id, HttpContext context)
    {
        var progress = new StreamProgress(id, context.Request.ContentType);
        _streams.Writer.TryWrite(progress);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer)) > 0) progress.Append(buffer.AsSpan(0, read));
        var bytes = progress.End();
        string? errorType = null, errorBody = null;
        if (context.Request.CheckTrailersAvailable())
        {
            errorType = context.Request.GetTrailer("Lambda-Runtime-Function-Error-Type").ToString() is { Length: > 0 } type ? type : null;
            errorBody = context.Request.GetTrailer("Lambda-Runtime-Function-Error-Body").ToString() is { Length: > 0 } b64
                ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(b64))
                : null;
        }

        context.Response.StatusCode = StreamAnswerStatus;
        if (StreamAnswerStatus != 202)
        {
            await context.Response.WriteAsync("{\"errorMessage\":\"refused by the test\",\"errorType\":\"Test.Refused\"}");
            return;
        }

        Complete(id, new Outcome("streamed", System.Text.Encoding.UTF8.GetString(bytes), errorType)
        {
            Bytes = bytes,
            ContentType = context.Request.ContentType,
            ErrorBody = errorBody,
        });
    }

    private void Complete(string id, Outcome outcome)
    {
        var source = _outcomes.GetOrAdd(id, _ => new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!source.TrySetResult(outcome)) throw new InvalidOperationException($"Invocation {id} was answered twice.");
    }
}
