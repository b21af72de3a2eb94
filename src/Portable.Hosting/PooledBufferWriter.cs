using System.Buffers;

namespace Portable.Hosting;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over pooled arrays, grown by doubling. Arrays up to <see cref="PooledMaxBytes"/> come from
/// the shared pool and go back to it; larger ones (a document far over any limit, a rare huge answer) are plain arrays, left
/// to the GC, so the pool never keeps megabytes alive for the rest of the process.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    public const int PooledMaxBytes = 1024 * 1024;

    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 4096) => _buffer = Allocate(Math.Max(initialCapacity, 256));

    public int WrittenCount => _written;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _written) throw new InvalidOperationException("Cannot advance past the end of the buffer.");
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        Release(_buffer);
        _buffer = [];
        _written = 0;
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed) return;
        var size = (int)Math.Min(Math.Max((long)_written + needed, 2L * _buffer.Length), Array.MaxLength);
        if (size - _written < needed) throw new OutOfMemoryException($"A buffer cannot grow past {Array.MaxLength:N0} bytes.");
        var grown = Allocate(size);
        _buffer.AsSpan(0, _written).CopyTo(grown);
        Release(_buffer);
        _buffer = grown;
    }

    private static byte[] Allocate(int size) => size <= PooledMaxBytes ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);

    private static void Release(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= PooledMaxBytes) ArrayPool<byte>.Shared.Return(buffer);
    }
}
