namespace Portable.AspNetCore.Lambda;

/// <summary>
/// The response body of a Lambda invocation: held in memory (the response is one JSON document posted at the end), and the
/// first write starts the response (its <c>OnStarting</c> callbacks run and <c>HasStarted</c> turns true) as on Kestrel.
/// </summary>
internal sealed class ResponseBodyStream(Func<CancellationToken, Task> start) : WriteOnlyStream
{
    private readonly MemoryStream _buffer = new();

    /// <summary>What was written.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);

    /// <summary>Drops what was written, for an error answer that replaces it.</summary>
    public void Reset() => _buffer.SetLength(0);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        start(CancellationToken.None).GetAwaiter().GetResult(); // buffered: a synchronous write blocks no socket
        _buffer.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await start(cancellationToken).ConfigureAwait(false);
        _buffer.Write(buffer.Span);
    }

    public override void Flush() => start(CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => start(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _buffer.Dispose();
        base.Dispose(disposing);
    }
}
