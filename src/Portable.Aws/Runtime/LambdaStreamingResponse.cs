using System.Text.Json;

namespace Portable.Aws.Runtime;

/// <summary>
/// An invocation's response streamed to the Lambda Runtime API as it is produced (the streaming response mode: a chunked
/// <c>POST …/response</c> with <c>Lambda-Runtime-Function-Response-Mode: streaming</c>), opened by
/// <see cref="LambdaRuntimeLoop.OpenResponseStreamAsync"/> or <see cref="LambdaRuntimeLoop.OpenHttpResponseStreamAsync"/>.
/// Each <see cref="WriteAsync"/> leaves at once as one chunk; <see cref="CompleteAsync"/> ends the response;
/// <see cref="FailAsync"/> ends it as failed (the error trailers <c>Lambda-Runtime-Function-Error-Type</c> and
/// <c>Lambda-Runtime-Function-Error-Body</c>), which is the only way to report an error once bytes have been sent.
/// </summary>
/// <remarks>
/// Every call also stops at the invocation's deadline. A stream its handler leaves open is completed by the loop when the
/// handler returns, and failed when it throws. Lambda streams only to a caller that asked for it (a function URL with
/// <c>InvokeMode: RESPONSE_STREAM</c>, an API Gateway REST integration with <c>responseTransferMode: STREAM</c>,
/// <c>InvokeWithResponseStream</c>); a buffered caller gets the bytes as one payload.
/// </remarks>
public sealed class LambdaStreamingResponse : IAsyncDisposable
{
    /// <summary>
    /// The content type of an HTTP response for a function URL or API Gateway: a JSON prelude (<c>statusCode</c>,
    /// <c>headers</c>, <c>cookies</c>), eight NUL bytes, then the body.
    /// </summary>
    public const string HttpIntegrationContentType = "application/vnd.awslambda.http-integration-response";

    private readonly ChunkedResponsePost _post;
    private readonly CancellationTokenSource _deadline;

    internal LambdaStreamingResponse(ChunkedResponsePost post, string requestId, DateTimeOffset? deadline)
    {
        _post = post;
        RequestId = requestId;
        _deadline = new CancellationTokenSource();
        if (deadline is { } at) LambdaRuntimeClient.CancelAtDeadline(_deadline, at);
    }

    /// <summary>The invocation this response answers.</summary>
    public string RequestId { get; }

    /// <summary>The bytes written so far (a prelude included).</summary>
    public long BytesWritten => _post.BytesSent;

    /// <summary>Whether the response has been ended, completed or failed: nothing more can be written.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>Sends <paramref name="data"/> to the Runtime API now, as one chunk.</summary>
    /// <param name="data">The bytes; nothing is sent for none.</param>
    /// <param name="cancellationToken">Stops the write; the invocation's deadline stops it too.</param>
    /// <returns>A task that ends when the bytes have been handed to the connection.</returns>
    /// <exception cref="InvalidOperationException">The response has already been ended.</exception>
    /// <exception cref="HttpRequestException">The connection to the Runtime API failed.</exception>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfCompleted();
        using var token = Link(cancellationToken);
        await _post.WriteAsync(data, token.Token).ConfigureAwait(false);
    }

    /// <summary>Ends the response and waits for the Runtime API to accept it.</summary>
    /// <param name="cancellationToken">Stops the wait; the invocation's deadline stops it too.</param>
    /// <returns>A task that ends when the Runtime API has accepted the response.</returns>
    /// <exception cref="InvalidOperationException">The response has already been ended.</exception>
    /// <exception cref="HttpRequestException">The Runtime API answered other than 2xx (the message has its status and answer), or the connection failed.</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        ThrowIfCompleted();
        IsCompleted = true;
        using var token = Link(cancellationToken);
        Check(await _post.CompleteAsync(token.Token).ConfigureAwait(false));
    }

    /// <summary>
    /// Ends the response as failed: Lambda reports the invocation as an error of type <c>Unhandled</c> with the exception's
    /// message, type and stack (nothing of it reaches an HTTP caller, whose response is cut short).
    /// </summary>
    /// <param name="exception">What went wrong.</param>
    /// <param name="cancellationToken">Stops the wait; the invocation's deadline stops it too.</param>
    /// <returns>A task that ends when the Runtime API has accepted the failure.</returns>
    /// <exception cref="InvalidOperationException">The response has already been ended.</exception>
    /// <exception cref="HttpRequestException">The Runtime API answered other than 2xx, or the connection failed.</exception>
    public Task FailAsync(Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return FailWithAsync(ErrorPayload.From(exception), LambdaRuntime.UnhandledError, cancellationToken);
    }

    /// <summary>Closes the connection; a response neither completed nor failed is cut off, which Lambda reports as an error.</summary>
    /// <returns>A task that ends when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        IsCompleted = true;
        await _post.DisposeAsync().ConfigureAwait(false);
        _deadline.Dispose();
    }

    /// <summary>Ends the response with the error trailers of <paramref name="error"/> classified as <paramref name="errorType"/>.</summary>
    internal async Task FailWithAsync(ErrorPayload error, string errorType, CancellationToken cancellationToken)
    {
        ThrowIfCompleted();
        IsCompleted = true;
        using var token = Link(cancellationToken);
        var json = JsonSerializer.SerializeToUtf8Bytes(error, AwsJsonContext.Default.ErrorPayload);
        Check(await _post.FailAsync(errorType, json, token.Token).ConfigureAwait(false));
    }

    private void Check(RuntimeApiAnswer answer)
    {
        if (answer.Status is < 200 or > 299)
        {
            throw new HttpRequestException(
                $"The Runtime API answered {answer.Status} to the streamed response of invocation {RequestId} ({BytesWritten} bytes): {answer.Body}",
                null,
                (System.Net.HttpStatusCode)answer.Status);
        }
    }

    private CancellationTokenSource Link(CancellationToken cancellationToken) => CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token);

    private void ThrowIfCompleted()
    {
        if (IsCompleted) throw new InvalidOperationException($"The streamed response of invocation {RequestId} has already been ended.");
    }
}
