using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Portable.Hosting;

/// <summary>
/// The content of a JSON string (the bytes between its quotes) handled where it lies, so an adapter can hand a large body or
/// message on out of the event it came in, without copying it.
/// </summary>
public static class JsonStrings
{
    /// <summary>
    /// Unescapes the content of a JSON string where it is and returns the length of the UTF-8 text, which then starts
    /// <paramref name="content"/>. Every escape is read before its text is written and is at least as long as that text
    /// (<c>\n</c> is one byte, <c>\u00e9</c> two, a surrogate pair's twelve bytes four), so a write never overtakes the reading.
    /// Content without a backslash is left as it is.
    /// </summary>
    /// <param name="content">The bytes between the string's quotes, overwritten with the text.</param>
    /// <returns>The length of the text; -1 when an escape is malformed or is a lone surrogate (the string is not text). The content is then partly overwritten.</returns>
    public static int UnescapeInPlace(Span<byte> content)
    {
        var first = content.IndexOf((byte)'\\');
        if (first < 0) return content.Length;
        var written = first;
        var read = first;
        while (read < content.Length)
        {
            var next = content[read..].IndexOf((byte)'\\');
            if (next != 0)
            {
                // The run up to the next escape (or the end) moves down as one block.
                var run = next < 0 ? content.Length - read : next;
                content.Slice(read, run).CopyTo(content[written..]);
                written += run;
                read += run;
                continue;
            }

            if (read + 1 >= content.Length) return -1;
            var escape = content[read + 1];
            read += 2;
            switch (escape)
            {
                case (byte)'"' or (byte)'\\' or (byte)'/': content[written++] = escape; break;
                case (byte)'b': content[written++] = (byte)'\b'; break;
                case (byte)'f': content[written++] = (byte)'\f'; break;
                case (byte)'n': content[written++] = (byte)'\n'; break;
                case (byte)'r': content[written++] = (byte)'\r'; break;
                case (byte)'t': content[written++] = (byte)'\t'; break;
                case (byte)'u':
                    if (!TryHex4(content, read, out var code)) return -1;
                    read += 4;
                    if (char.IsHighSurrogate((char)code))
                    {
                        if (read + 6 > content.Length || content[read] != (byte)'\\' || content[read + 1] != (byte)'u'
                            || !TryHex4(content, read + 2, out var low) || !char.IsLowSurrogate((char)low))
                        {
                            return -1;
                        }

                        code = char.ConvertToUtf32((char)code, (char)low);
                        read += 6;
                    }
                    else if (char.IsLowSurrogate((char)code))
                    {
                        return -1;
                    }

                    written += new Rune(code).EncodeToUtf8(content[written..]);
                    break;
                default:
                    return -1;
            }
        }

        return written;
    }

    /// <summary>
    /// Decodes base64 text (the content of a JSON string, possibly with escapes such as <c>\/</c>) where it is, and returns the
    /// length of the bytes, which then start <paramref name="content"/>.
    /// </summary>
    /// <param name="content">The base64 text, overwritten with the bytes.</param>
    /// <returns>The number of bytes; -1 when the content is not base64. The content is then partly overwritten.</returns>
    public static int DecodeBase64InPlace(Span<byte> content)
    {
        var length = UnescapeInPlace(content);
        if (length < 0) return -1;
        return Base64.DecodeFromUtf8InPlace(content[..length], out var decoded) == OperationStatus.Done ? decoded : -1;
    }

    private static bool TryHex4(ReadOnlySpan<byte> content, int at, out int value)
    {
        value = 0;
        if (at + 4 > content.Length) return false;
        for (var i = at; i < at + 4; i++)
        {
            var b = content[i];
            var digit = b is >= (byte)'0' and <= (byte)'9' ? b - '0'
                : b is >= (byte)'a' and <= (byte)'f' ? b - 'a' + 10
                : b is >= (byte)'A' and <= (byte)'F' ? b - 'A' + 10
                : -1;
            if (digit < 0) return false;
            value = (value << 4) | digit;
        }

        return true;
    }
}
