namespace Portable.Aws.Data;

/// <summary>A range of a forward-only stream: the first <paramref name="offset"/> bytes skipped, then at most <paramref name="length"/> bytes (all when null).</summary>
internal sealed class RangeStream(Stream inner, long offset, long? length) : Stream
{
    private long _toSkip = offset;
    private long _left = length ?? long.MaxValue;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_toSkip > 0)
        {
            var skipped = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _toSkip)], cancellationToken).ConfigureAwait(false);
            if (skipped == 0) return 0;
            _toSkip -= skipped;
        }

        if (_left == 0 || buffer.Length == 0) return 0;
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken).ConfigureAwait(false);
        _left -= read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
