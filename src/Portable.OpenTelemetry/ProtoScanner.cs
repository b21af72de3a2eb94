namespace Portable.OpenTelemetry;

/// <summary>Reads the few protobuf fields of an export response (the partial success); anything malformed throws <see cref="InvalidDataException"/>.</summary>
internal ref struct ProtoScanner(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public bool Next(out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (_position >= _data.Length) return false;
        var tag = Varint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        if (field <= 0) throw new InvalidDataException("A field number of 0.");
        return true;
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length) throw new InvalidDataException("A varint cut short.");
            var b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }

        throw new InvalidDataException("A varint longer than 10 bytes.");
    }

    public ReadOnlySpan<byte> Bytes()
    {
        var length = Varint();
        if (length > (ulong)(_data.Length - _position)) throw new InvalidDataException("A length past the end.");
        var bytes = _data.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: Varint(); break;
            case 1: Advance(8); break;
            case 2: Bytes(); break;
            case 5: Advance(4); break;
            default: throw new InvalidDataException($"Wire type {wireType}.");
        }
    }

    private void Advance(int count)
    {
        if (_position + count > _data.Length) throw new InvalidDataException("A fixed field past the end.");
        _position += count;
    }
}
