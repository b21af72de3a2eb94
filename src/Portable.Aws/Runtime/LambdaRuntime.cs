using Microsoft.Extensions.Logging;
using Portable.Aws.Logging;
using Portable.Hosting;

namespace Portable.Aws.Runtime;

/// <summary>
/// The custom-runtime loop: get the next event, run the handler on it, post the response or the error, and go on. The loop
/// knows nothing of Portable's functions: it takes a <see cref="LambdaHandler"/> (Portable's event dispatch, or any other)
/// and an <see cref="ILambdaRuntimeClient"/>. Per invocation it sets <c>_X_AMZN_TRACE_ID</c> and the log scope's request id.
/// An event that cannot be read, a handler that throws and a response the Runtime API refuses (413 over 6 MB) each end
/// that invocation with an error; the loop keeps polling. After each invocation is answered and before the next event is
/// asked for (Lambda freezes the process at <c>/next</c>), every <see cref="ITelemetryFlush"/> sends what it holds, waiting at
/// most <see cref="FlushTimeout"/> and never past the invocation's deadline. A handler may stream its response instead of
/// returning it (<see cref="OpenStreamAsync"/>): the loop then ends the stream when the handler returns or throws.
/// </summary>
internal sealed partial class LambdaRuntime(ILambdaRuntimeClient client, LambdaHandler handler, ILogger log, IReadOnlyList<ITelemetryFlush>? flushes = null, TimeProvider? time = null)
{
    /// <summary>The longest a telemetry flush may hold the next event back.</summary>
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<ITelemetryFlush> _flushes = flushes ?? [];
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The invocation being handled, the only one whose response may be streamed.</summary>
    private LambdaInvocation? _current;

    /// <summary>Its streamed response, once the handler opened one.</summary>
    private LambdaStreamingResponse? _stream;

    /// <summary>The error type header of a handler exception.</summary>
    public const string UnhandledError = "Unhandled";

    /// <summary>The error type header of an event that cannot be read.</summary>
    public const string InvalidEventError = "Runtime.InvalidEvent";

    /// <summary>The error type header of a response the Runtime API refused.</summary>
    public const string ResponseRefusedError = "Runtime.ResponseRefused";

    /// <summary>The <see cref="Exception.Data"/> key a handler sets on an <see cref="InvalidInputException"/> it has already logged, so the refusal is logged once.</summary>
    public const string RefusalLoggedKey = "Portable.Aws.RefusalLogged";

    /// <summary>Polls until <paramref name="cancellationToken"/> is signalled or the Runtime API fails.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var bytes = await HandleNextAsync(cancellationToken).ConfigureAwait(false);
                // A large event or response: memory given back once the response is posted, before the next event is asked for,
                // so no caller waits on it. Ten 6 MB HTTP events in a row grew RSS by about 30 MB each without it.
                if (bytes >= LargeInvocations.Threshold) LargeInvocations.GiveMemoryBack();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Gets the next event and handles it, so that nothing of it is referenced once this returns.</summary>
    /// <returns>The larger of the event's and the response's size in bytes.</returns>
    private async Task<int> HandleNextAsync(CancellationToken cancellationToken)
    {
        var invocation = await client.GetNextAsync(cancellationToken).ConfigureAwait(false);
        var responseBytes = await HandleAsync(invocation, cancellationToken).ConfigureAwait(false);
        if (_flushes.Count > 0) FlushTelemetry(invocation);
        return Math.Max(invocation.Payload.Length, responseBytes);
    }

    /// <summary>Runs one invocation and posts its outcome.</summary>
    /// <returns>The size of the response posted, in bytes; 0 for an error.</returns>
    public async Task<int> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceHeader);
        LambdaLogScope.RequestId = invocation.RequestId;
        _current = invocation;
        try
        {
            ReadOnlyMemory<byte> response;
            try
            {
                response = await handler(invocation, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidInputException e)
            {
                if (!e.Data.Contains(RefusalLoggedKey)) LogInvalidEvent(log, invocation.RequestId, e.Message);
                if (_stream is not null) await FailStreamAsync(_stream, e, InvalidEventError, cancellationToken).ConfigureAwait(false);
                else await PostErrorAsync(invocation.RequestId, ErrorPayload.From(e), InvalidEventError, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (_stream is not null) await FailStreamAsync(_stream, e, UnhandledError, cancellationToken).ConfigureAwait(false);
                else await PostErrorAsync(invocation.RequestId, ErrorPayload.From(e), UnhandledError, cancellationToken).ConfigureAwait(false);
                return 0;
            }

            if (_stream is { } stream)
            {
                // Streamed: the response went out as it was written; what the handler returned is not posted.
                if (!stream.IsCompleted) await CompleteStreamAsync(stream, cancellationToken).ConfigureAwait(false);
                return (int)Math.Min(stream.BytesWritten, int.MaxValue);
            }

            var (status, body) = await client.PostResponseAsync(invocation.RequestId, response, cancellationToken).ConfigureAwait(false);
            if (status != 202)
            {
                // A refused response (413 over 6 MB) is logged and posted as an error, so the caller sees why; the loop goes on.
                LogResponseRefused(log, invocation.RequestId, status, response.Length, body);
                var error = new ErrorPayload(
                    $"The Runtime API refused the response of {response.Length} bytes with {status}{(status == 413 ? " (over the 6 MB limit)" : "")}: {body}",
                    status == 413 ? "ResponseTooLarge" : "ResponseRefused",
                    []);
                await PostErrorAsync(invocation.RequestId, error, ResponseRefusedError, cancellationToken).ConfigureAwait(false);
            }

            return response.Length;
        }
        finally
        {
            _current = null;
            if (_stream is { } stream)
            {
                _stream = null;
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            LambdaLogScope.RequestId = null;
        }
    }

    /// <summary>
    /// Starts streaming the response of <paramref name="invocation"/>, which must be the one being handled: from then on the
    /// handler's return value is not posted, the stream is completed when the handler returns (if the handler did not end it)
    /// and failed with the error trailers when it throws.
    /// </summary>
    /// <exception cref="InvalidOperationException">The invocation is not being handled, or its response is already streaming.</exception>
    public async Task<LambdaStreamingResponse> OpenStreamAsync(LambdaInvocation invocation, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        if (!ReferenceEquals(invocation, _current))
        {
            throw new InvalidOperationException($"Invocation {invocation.RequestId} is not being handled: its response can be streamed only from its handler, while the handler runs.");
        }

        if (_stream is not null) throw new InvalidOperationException($"The response of invocation {invocation.RequestId} is already being streamed.");
        return _stream = await client.OpenStreamAsync(invocation, contentType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends a streamed response the handler left open; a refusal is logged (the response is gone, nothing else can answer).</summary>
    private async Task CompleteStreamAsync(LambdaStreamingResponse stream, CancellationToken cancellationToken)
    {
        try
        {
            await stream.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            LogStreamFailed(log, e, stream.RequestId, stream.BytesWritten);
        }
    }

    /// <summary>Ends a streamed response with the error trailers of the handler's exception, logged as the handler's failure.</summary>
    private async Task FailStreamAsync(LambdaStreamingResponse stream, Exception exception, string errorType, CancellationToken cancellationToken)
    {
        if (stream.IsCompleted)
        {
            LogFailedAfterStream(log, exception, stream.RequestId);
            return;
        }

        LogStreamedHandlerFailed(log, exception, stream.RequestId, stream.BytesWritten, errorType);
        try
        {
            await stream.FailWithAsync(ErrorPayload.From(exception), errorType, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            LogStreamFailed(log, e, stream.RequestId, stream.BytesWritten);
        }
    }

    /// <summary>Flushes every exporter, each within <see cref="FlushTimeout"/> and the time left before the invocation's deadline; a late or failing flush is logged, never thrown.</summary>
    internal void FlushTelemetry(LambdaInvocation invocation)
    {
        foreach (var flush in _flushes)
        {
            var timeout = FlushTimeout;
            if (invocation.Deadline is { } deadline)
            {
                var left = deadline - _time.GetUtcNow();
                if (left < timeout) timeout = left > TimeSpan.Zero ? left : TimeSpan.Zero;
            }

            try
            {
                if (!flush.Flush(timeout)) LogFlushLate(log, invocation.RequestId, flush.GetType().Name, timeout.TotalMilliseconds);
            }
#pragma warning disable CA1031 // A broken exporter loses its telemetry, never the next invocation.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFlushFailed(log, e, invocation.RequestId, flush.GetType().Name);
            }
        }
    }

    private async Task PostErrorAsync(string requestId, ErrorPayload error, string errorType, CancellationToken cancellationToken)
    {
        var answer = await client.PostErrorAsync(requestId, error, errorType, cancellationToken).ConfigureAwait(false);
        if (!answer.IsAccepted) LogErrorRefused(log, requestId, answer.Status, answer.Body);
    }

    [LoggerMessage(1, LogLevel.Warning, "Invocation {RequestId}: the event cannot be read: {Reason}")]
    private static partial void LogInvalidEvent(ILogger logger, string requestId, string reason);

    [LoggerMessage(2, LogLevel.Error, "Invocation {RequestId}: the Runtime API answered {Status} to the response of {Bytes} bytes: {Body}; posting an error instead")]
    private static partial void LogResponseRefused(ILogger logger, string requestId, int status, int bytes, string body);

    [LoggerMessage(3, LogLevel.Error, "Invocation {RequestId}: the Runtime API answered {Status} to the error: {Body}")]
    private static partial void LogErrorRefused(ILogger logger, string requestId, int status, string body);

    [LoggerMessage(4, LogLevel.Warning, "Invocation {RequestId}: the telemetry flush {Flush} did not finish within {TimeoutMs:0} ms; what it still held may be sent late or lost when Lambda freezes the process")]
    private static partial void LogFlushLate(ILogger logger, string requestId, string flush, double timeoutMs);

    [LoggerMessage(5, LogLevel.Warning, "Invocation {RequestId}: the telemetry flush {Flush} failed; its telemetry may be lost")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string requestId, string flush);

    [LoggerMessage(6, LogLevel.Error, "Invocation {RequestId}: the streamed response was not delivered after {Bytes} bytes; the caller's response is cut short")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception, string requestId, long bytes);

    [LoggerMessage(7, LogLevel.Error, "Invocation {RequestId}: the handler failed after {Bytes} bytes of its response were streamed; ending the stream with the error trailers ({ErrorType})")]
    private static partial void LogStreamedHandlerFailed(ILogger logger, Exception exception, string requestId, long bytes, string errorType);

    [LoggerMessage(8, LogLevel.Error, "Invocation {RequestId}: the handler failed after its streamed response was complete; the caller got the whole response")]
    private static partial void LogFailedAfterStream(ILogger logger, Exception exception, string requestId);
}
