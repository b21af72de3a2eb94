using System.Buffers;

namespace Portable.Hosting;

/// <summary>
/// A <see cref="PooledBufferWriter"/> for a <see cref="System.Text.Json.Utf8JsonWriter"/> whose output may be at most
/// <see cref="Limit"/> bytes: it refuses (calls the <c>over</c> callback, which throws) as soon as a request for memory proves the
/// output will be longer, instead of growing a buffer for a document that will be refused anyway. A 6 MB string would otherwise
/// be transcoded whole into an 18 MB buffer (the writer asks for 3 bytes a character) only to be measured.
/// </summary>
/// <remarks>
/// What proves the output too long, and nothing else (a verdict must be the one an unbounded buffer would give):
/// <list type="bullet">
/// <item>More than <see cref="Limit"/> bytes already written: bytes are never taken back.</item>
/// <item>A request of <c>sizeHint</c> bytes larger than <see cref="SmallRequestBytes"/>. The writer asks for room before each
/// write; a request that large is sized by the data (a string, a property name, base64, raw JSON), never by a number or a
/// punctuation mark (those ask for at most 256). For data it asks for at most 3 bytes an input unit (3 × UTF-16 chars, the
/// most UTF-8 can take; 1 × for UTF-8 or base64 input) plus a few bytes of quotes, colon and comma, and then writes at
/// least 1 byte an input unit. So the write adds at least (sizeHint − <see cref="SmallRequestBytes"/>) / 3 bytes, and when
/// that is more than the room left under the limit, the document is over it. Tests pin this on the edge (documents of exactly
/// the limit and one byte over, with multi-byte characters and escapes), so a serializer that asked for more would fail them.</item>
/// <item>A string of more characters than the room left, told by <see cref="DocumentEncoder"/> before the writer escapes it
/// (<see cref="CheckRoomFor"/>): each character becomes at least one byte.</item>
/// </list>
/// Everything else is written, so a document near the limit is measured exactly.
/// </remarks>
internal sealed class CappedBufferWriter : IBufferWriter<byte>, IDisposable
{
    /// <summary>Requests up to this size are never judged: the writer's own minimum request (256) and numbers fall under it.</summary>
    public const int SmallRequestBytes = 4096;

    private readonly PooledBufferWriter _buffer;
    private readonly Action<long> _over;

    /// <summary>Creates the writer.</summary>
    /// <param name="limit">The largest output allowed, in bytes.</param>
    /// <param name="over">Called with a number of bytes the output is proven to reach (more than <paramref name="limit"/>); must throw.</param>
    public CappedBufferWriter(int limit, Action<long> over)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Limit = limit;
        _over = over;
        _buffer = new PooledBufferWriter();
    }

    /// <summary>The largest output allowed, in bytes.</summary>
    public int Limit { get; }

    public int WrittenCount => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void Advance(int count) => _buffer.Advance(count);

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Check(sizeHint);
        return _buffer.GetMemory(sizeHint);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Check(sizeHint);
        return _buffer.GetSpan(sizeHint);
    }

    public void Dispose() => _buffer.Dispose();

    /// <summary>
    /// Refuses (calls the <c>over</c> callback) when a string of <paramref name="units"/> UTF-16 characters or UTF-8 bytes about to
    /// be written cannot fit in the room left: each becomes at least one byte of JSON. <see cref="DocumentEncoder"/> calls it before
    /// the writer escapes the string.
    /// </summary>
    public void CheckRoomFor(int units)
    {
        var proven = (long)_buffer.WrittenCount + units;
        if (proven > Limit) Refuse(proven);
    }

    /// <summary>The least number of bytes the output is proven to reach once a write that asked for <paramref name="sizeHint"/> is done.</summary>
    internal static long ProvenLength(long written, int sizeHint)
        => written + (sizeHint > SmallRequestBytes ? (sizeHint - SmallRequestBytes) / 3 : 0);

    private void Check(int sizeHint)
    {
        var proven = ProvenLength(_buffer.WrittenCount, sizeHint);
        if (proven > Limit) Refuse(proven);
    }

    private void Refuse(long proven)
    {
        _over(proven);
        throw new InvalidOperationException($"The output is over its limit of {Limit:N0} bytes."); // the callback throws; this is never reached
    }
}
