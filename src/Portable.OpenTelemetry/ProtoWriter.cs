using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Portable.OpenTelemetry;

/// <summary>
/// Writes the protobuf wire format into one growable buffer, reused from export to export. A nested message reserves five bytes
/// for its length, and <see cref="End"/> writes the length as a minimal varint, moving the message's bytes down when it is shorter.
/// Written by hand for the OTLP request messages: no generated code, no protobuf library.
/// </summary>
internal sealed class ProtoWriter
{
    private const int LengthReserve = 5;
    private byte[] _buffer = new byte[16 * 1024];
    private readonly Stack<int> _open = new();

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    /// <summary>The number of bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>Forgets what was written, keeping the buffer.</summary>
    public void Reset()
    {
        Length = 0;
        _open.Clear();
        if (_buffer.Length > 4 * 1024 * 1024) _buffer = new byte[16 * 1024];
    }

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray() => Written.ToArray();

    /// <summary>Opens a length-delimited field holding a message; close it with <see cref="End"/>.</summary>
    public void Begin(int field)
    {
        Tag(field, 2);
        Ensure(LengthReserve);
        Length += LengthReserve;
        _open.Push(Length);
    }

    /// <summary>Closes the innermost message opened by <see cref="Begin"/>.</summary>
    public void End()
    {
        var start = _open.Pop();
        var length = Length - start;
        var size = VarintSize((ulong)length);
        var lengthAt = start - LengthReserve;
        if (size < LengthReserve)
        {
            Buffer.BlockCopy(_buffer, start, _buffer, lengthAt + size, length);
            Length -= LengthReserve - size;
        }

        WriteVarintAt(lengthAt, (ulong)length);
    }

    public void Varint(int field, ulong value)
    {
        if (value == 0) return;
        Tag(field, 0);
        RawVarint(value);
    }

    /// <summary>A varint field written even when zero (a oneof member or a value whose presence matters).</summary>
    public void VarintAlways(int field, ulong value)
    {
        Tag(field, 0);
        RawVarint(value);
    }

    public void Fixed64(int field, ulong value)
    {
        if (value == 0) return;
        Fixed64Always(field, value);
    }

    public void Fixed64Always(int field, ulong value)
    {
        Tag(field, 1);
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(Length), value);
        Length += 8;
    }

    public void Double(int field, double value) => Fixed64Always(field, BitConverter.DoubleToUInt64Bits(value));

    public void Fixed32(int field, uint value)
    {
        if (value == 0) return;
        Tag(field, 5);
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(Length), value);
        Length += 4;
    }

    public void String(int field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        StringAlways(field, value);
    }

    /// <summary>A string field written even when empty (an AnyValue's string member).</summary>
    public void StringAlways(int field, string value)
    {
        Tag(field, 2);
        var bytes = Encoding.UTF8.GetByteCount(value);
        RawVarint((ulong)bytes);
        Ensure(bytes);
        Length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(Length));
    }

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return;
        Tag(field, 2);
        RawVarint((ulong)value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
    }

    /// <summary>A packed repeated fixed64 field.</summary>
    public void PackedFixed64(int field, ReadOnlySpan<ulong> values)
    {
        if (values.IsEmpty) return;
        Tag(field, 2);
        RawVarint((ulong)values.Length * 8);
        Ensure(values.Length * 8);
        foreach (var value in values)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(Length), value);
            Length += 8;
        }
    }

    /// <summary>A packed repeated double field: the same eight little-endian bytes a value as fixed64.</summary>
    public void PackedDouble(int field, ReadOnlySpan<double> values) => PackedFixed64(field, MemoryMarshal.Cast<double, ulong>(values));

    private void Tag(int field, int wireType) => RawVarint((ulong)((uint)field << 3 | (uint)wireType));

    private void RawVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[Length++] = (byte)value;
    }

    private void WriteVarintAt(int at, ulong value)
    {
        while (value >= 0x80)
        {
            _buffer[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[at] = (byte)value;
    }

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private void Ensure(int more)
    {
        if (Length + more <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + more));
    }
}
