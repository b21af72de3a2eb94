namespace Portable.AspNetCore.Lambda;

/// <summary>
/// The response body of a Lambda invocation answered in the streaming response mode: the first write or flush starts the
/// response (its <c>OnStarting</c> callbacks run, then the prelude with the status and headers is sent), and every write is
/// sent to the Runtime API at once, as one chunk; a flush sends nothing more. A HEAD response sends its prelude only.
/// Synchronous writes block on the connection (the app asked for them).
/// </summary>
internal sealed class StreamedResponseBodyStream(Func<CancellationToken, Task<Aws.Runtime.LambdaStreamingResponse?>> start, bool headersOnly) : WriteOnlyStream
{
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var response = await start(cancellationToken).ConfigureAwait(false);
        if (response is not null && !headersOnly) await response.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override void Flush() => start(CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => start(cancellationToken);
}
