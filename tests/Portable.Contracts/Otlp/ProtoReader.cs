using System.Buffers.Binary;
using System.Text;

namespace Portable.Contracts.Otlp;

/// <summary>
/// Reads the protobuf wire format (varint, 64-bit, length-delimited, 32-bit) from a span, one field at a time. Written by hand
/// for the OTLP messages the receiver decodes: no generated code. Anything truncated or out of range throws
/// <see cref="InvalidDataException"/> naming the offset.
/// </summary>
internal ref struct ProtoReader
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> data) => _data = data;

    /// <summary>The wire type of the field whose tag <see cref="Next"/> read last.</summary>
    public int WireType { get; private set; }

    /// <summary>Reads the next tag; false at the end of the message.</summary>
    public bool Next(out int field)
    {
        if (_position >= _data.Length)
        {
            field = 0;
            return false;
        }

        var at = _position;
        var tag = ReadVarint();
        field = (int)(tag >> 3);
        WireType = (int)(tag & 7);
        if (field <= 0 || tag >> 3 > int.MaxValue) throw Invalid($"field number {tag >> 3} at offset {at}");
        if (WireType is not (Varint or Fixed64 or LengthDelimited or Fixed32))
            throw Invalid($"wire type {WireType} (field {field}) at offset {at}; OTLP uses no groups");
        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length) throw Invalid($"a varint cut short at offset {_position}");
            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }

        throw Invalid($"a varint longer than 10 bytes before offset {_position}");
    }

    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    public ReadOnlySpan<byte> ReadBytes()
    {
        var at = _position;
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
            throw Invalid($"a length of {length} at offset {at} runs past the end ({_data.Length - _position} bytes left)");
        return Take((int)length);
    }

    public string ReadString()
    {
        var bytes = ReadBytes();
        try
        {
            return Utf8Strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw Invalid($"a string that is not UTF-8 before offset {_position}", e);
        }
    }

    /// <summary>Checks that the field just read has the wire type the schema gives it.</summary>
    public readonly void Expect(int field, int wireType)
    {
        if (WireType != wireType) throw Invalid($"field {field} with wire type {WireType}, where the schema gives wire type {wireType}");
    }

    /// <summary>Skips a field the receiver does not decode (as protobuf parsers skip unknown fields).</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case Varint: ReadVarint(); break;
            case Fixed64: Take(8); break;
            case LengthDelimited: ReadBytes(); break;
            default: Take(4); break;
        }
    }

    /// <summary>
    /// Reads a repeated 64-bit field, packed (one length-delimited run, as proto3 writes it) or not (one value a tag).
    /// </summary>
    public void ReadRepeatedFixed64(List<ulong> into)
    {
        if (WireType == Fixed64)
        {
            into.Add(ReadFixed64());
            return;
        }

        if (WireType != LengthDelimited) throw Invalid($"a repeated 64-bit field with wire type {WireType}");
        var run = ReadBytes();
        if (run.Length % 8 != 0) throw Invalid($"a packed 64-bit run of {run.Length} bytes, not a multiple of 8");
        for (var i = 0; i < run.Length; i += 8) into.Add(BinaryPrimitives.ReadUInt64LittleEndian(run[i..]));
    }

    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position) throw Invalid($"{count} bytes wanted at offset {_position}, {_data.Length - _position} left");
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    private static InvalidDataException Invalid(string what, Exception? inner = null) => new("Not a valid protobuf message: " + what + ".", inner);
}
