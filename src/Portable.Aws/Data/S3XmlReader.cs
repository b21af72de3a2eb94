using System.Text;

namespace Portable.Aws.Data;

/// <summary>
/// A small, strict pull reader for S3's XML answers (an error document, a multipart upload's result, one
/// <c>ListObjectsV2</c> page), over the whole answer as UTF-8 bytes. It stops on element starts and ends only:
/// <see cref="Read"/> moves to the next one (a self-closing element is a start, then an end), <see cref="ReadText"/> and
/// <see cref="Skip"/> consume the current element and leave the reader on its end. Names are local (a prefix is dropped);
/// attributes (<c>xmlns</c> too), comments, processing instructions and the XML declaration are checked for form and skipped.
/// Text keeps CDATA sections, the five predefined entities and character references, with line ends normalized as XML
/// says. Refused with an <see cref="S3XmlException"/>: a DOCTYPE (S3 never sends one, and none is read), an unknown entity,
/// mismatched or unclosed tags, text outside the root element, invalid UTF-8 and characters XML does not allow.
/// .NET's XmlReader is not used: its assembly would add about 1 MB to a Native AOT bootstrap, and its type data to every cold start.
/// </summary>
internal sealed class S3XmlReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly byte[] _xml;
    private readonly List<string> _open = [];
    private readonly StringBuilder _text = new();
    private int _position;
    private bool _pendingEnd;
    private bool _rootSeen;

    public S3XmlReader(byte[] xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        _xml = xml;
        if (xml.AsSpan().StartsWith("\uFEFF"u8)) _position = 3;
        if (xml.AsSpan(_position).StartsWith("<?xml"u8) && xml.Length > _position + 5 && IsSpace(xml[_position + 5]))
        {
            _position = IndexOf("?>"u8, _position, "the XML declaration") + 2;
        }
    }

    /// <summary>Where the reader stands.</summary>
    public S3XmlNode Node { get; private set; }

    /// <summary>The local name of the current element (without a prefix).</summary>
    public string LocalName { get; private set; } = "";

    /// <summary>The current element's depth: 0 for the root.</summary>
    public int Depth { get; private set; }

    /// <summary>Whether the current start is of a self-closing element (<c>&lt;a/&gt;</c>).</summary>
    public bool IsEmptyElement { get; private set; }

    /// <summary>Moves to the next element start or end; false at the end of the document (after checking that nothing but comments follows the root).</summary>
    public bool Read()
    {
        if (_pendingEnd)
        {
            _pendingEnd = false;
            Node = S3XmlNode.End;
            return true;
        }

        while (true)
        {
            var start = _position;
            var next = Array.IndexOf(_xml, (byte)'<', _position);
            var end = next < 0 ? _xml.Length : next;
            if (end > start)
            {
                if (_open.Count == 0)
                {
                    for (var i = start; i < end; i++)
                    {
                        if (!IsSpace(_xml[i])) throw Error("text outside the root element", i);
                    }
                }
                else
                {
                    _text.Clear();
                    AppendText(start, end, inAttribute: false); // mixed content, checked and not kept
                }
            }

            _position = end;
            if (next < 0)
            {
                if (_open.Count > 0) throw Error($"the document ends inside <{_open[^1]}>", _position);
                if (!_rootSeen) throw Error("the document has no root element", _position);
                Node = S3XmlNode.None;
                return false;
            }

            if (Markup()) return true;
        }
    }

    /// <summary>The text of the current element (its end found; child elements refused), leaving the reader on its end.</summary>
    public string ReadText()
    {
        if (Node != S3XmlNode.Start) throw new InvalidOperationException("ReadText needs the reader on an element's start.");
        var name = LocalName;
        if (IsEmptyElement)
        {
            Read();
            return "";
        }

        var text = new StringBuilder();
        while (true)
        {
            var start = _position;
            var next = Array.IndexOf(_xml, (byte)'<', _position);
            if (next < 0) throw Error($"the document ends inside <{_open[^1]}>", _position);
            _text.Clear();
            AppendText(start, next, inAttribute: false);
            text.Append(_text);
            _position = next;
            if (_xml.AsSpan(next).StartsWith("<![CDATA["u8))
            {
                var close = IndexOf("]]>"u8, next + 9, "a CDATA section");
                _text.Clear();
                AppendChars(next + 9, close);
                text.Append(_text);
                _position = close + 3;
                continue;
            }

            if (!Markup()) continue;
            if (Node == S3XmlNode.End) return text.ToString();
            throw Error($"<{name}> holds the element <{LocalName}> where text was expected", _position);
        }
    }

    /// <summary>Consumes the current element and everything in it, leaving the reader on its end.</summary>
    public void Skip()
    {
        if (Node != S3XmlNode.Start) return;
        var depth = Depth;
        while (Read())
        {
            if (Node == S3XmlNode.End && Depth == depth) return;
        }
    }

    /// <summary>Reads the markup at <c>_position</c> (a <c>&lt;</c>); true when it is an element start or end.</summary>
    private bool Markup()
    {
        var at = _position;
        var rest = _xml.AsSpan(at);
        if (rest.StartsWith("<!--"u8))
        {
            var close = IndexOf("--"u8, at + 4, "a comment");
            if (close + 2 >= _xml.Length || _xml[close + 2] != '>') throw Error("'--' inside a comment", close);
            CheckChars(at + 4, close);
            _position = close + 3;
            return false;
        }

        if (rest.StartsWith("<?"u8))
        {
            var close = IndexOf("?>"u8, at + 2, "a processing instruction");
            var target = Name(at + 2, out _);
            if (target.Equals("xml", StringComparison.OrdinalIgnoreCase)) throw Error("an XML declaration that is not at the start of the document", at);
            CheckChars(at + 2, close);
            _position = close + 2;
            return false;
        }

        if (rest.StartsWith("<!DOCTYPE"u8)) throw Error("a DOCTYPE (S3 never sends one; DTDs are not read)", at);
        if (rest.StartsWith("<![CDATA["u8))
        {
            if (_open.Count == 0) throw Error("a CDATA section outside the root element", at);
            var close = IndexOf("]]>"u8, at + 9, "a CDATA section");
            CheckChars(at + 9, close);
            _position = close + 3;
            return false;
        }

        if (rest.StartsWith("<!"u8)) throw Error("a declaration XML does not allow here", at);
        if (rest.StartsWith("</"u8)) return EndTag(at);
        return StartTag(at);
    }

    private bool StartTag(int at)
    {
        if (_open.Count == 0 && _rootSeen) throw Error("a second root element", at);
        var name = Name(at + 1, out var position);
        while (true)
        {
            var spaced = SkipSpace(ref position);
            if (position >= _xml.Length) throw Error($"the document ends inside the tag <{name}>", at);
            if (_xml[position] == '>')
            {
                position++;
                break;
            }

            if (_xml[position] == '/')
            {
                if (position + 1 >= _xml.Length || _xml[position + 1] != '>') throw Error($"'/' not followed by '>' in <{name}>", position);
                position += 2;
                _pendingEnd = true;
                break;
            }

            if (!spaced) throw Error($"no space before an attribute of <{name}>", position);
            Attribute(ref position, name);
        }

        IsEmptyElement = _pendingEnd;
        _rootSeen = true;
        Depth = _open.Count;
        LocalName = Local(name);
        Node = S3XmlNode.Start;
        if (!_pendingEnd) _open.Add(name);
        _position = position;
        return true;
    }

    private bool EndTag(int at)
    {
        var name = Name(at + 2, out var position);
        SkipSpace(ref position);
        if (position >= _xml.Length || _xml[position] != '>') throw Error($"the end tag </{name}> is not closed by '>'", at);
        if (_open.Count == 0) throw Error($"the end tag </{name}> closes no element", at);
        if (_open[^1] != name) throw Error($"the end tag </{name}> does not match <{_open[^1]}>", at);
        _open.RemoveAt(_open.Count - 1);
        Depth = _open.Count;
        LocalName = Local(name);
        IsEmptyElement = false;
        Node = S3XmlNode.End;
        _position = position + 1;
        return true;
    }

    private void Attribute(ref int position, string element)
    {
        var at = position;
        var name = Name(position, out position);
        SkipSpace(ref position);
        if (position >= _xml.Length || _xml[position] != '=') throw Error($"the attribute {name} of <{element}> has no value", at);
        position++;
        SkipSpace(ref position);
        if (position >= _xml.Length || _xml[position] is not ((byte)'"' or (byte)'\'')) throw Error($"the attribute {name} of <{element}> has no quoted value", at);
        var quote = _xml[position];
        var close = Array.IndexOf(_xml, quote, position + 1);
        if (close < 0) throw Error($"the value of the attribute {name} of <{element}> is not closed", at);
        var lt = Array.IndexOf(_xml, (byte)'<', position + 1, close - position - 1);
        if (lt >= 0) throw Error($"'<' in the value of the attribute {name} of <{element}>", lt);
        _text.Clear();
        AppendText(position + 1, close, inAttribute: true); // checks its references and characters; the value itself is not kept
        position = close + 1;
    }

    /// <summary>An XML name at <paramref name="at"/>; <paramref name="end"/> just after it.</summary>
    private string Name(int at, out int end)
    {
        end = at;
        while (end < _xml.Length)
        {
            var b = _xml[end];
            var allowed = b >= 0x80 || b is (byte)'_' or (byte)':' || char.IsAsciiLetter((char)b)
                || (end > at && (char.IsAsciiDigit((char)b) || b is (byte)'-' or (byte)'.'));
            if (!allowed) break;
            end++;
        }

        if (end == at) throw Error("a name was expected", at);
        return Decode(at, end);
    }

    private static string Local(string name) => name.LastIndexOf(':') is var colon and >= 0 ? name[(colon + 1)..] : name;

    /// <summary>Appends the text of bytes [start, end) to <c>_text</c>: references resolved, line ends normalized, characters checked.</summary>
    private void AppendText(int start, int end, bool inAttribute)
    {
        var from = start;
        while (from < end)
        {
            var amp = Array.IndexOf(_xml, (byte)'&', from, end - from);
            var stop = amp < 0 ? end : amp;
            var gt = inAttribute ? -1 : _xml.AsSpan(from, stop - from).IndexOf("]]>"u8);
            if (gt >= 0) throw Error("']]>' in text", from + gt);
            AppendChars(from, stop);
            if (amp < 0) return;
            from = Reference(amp, end);
        }
    }

    /// <summary>Appends the characters of bytes [start, end) as they are (but for line ends), checked.</summary>
    private void AppendChars(int start, int end)
    {
        if (end <= start) return;
        var text = Decode(start, end);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                _text.Append('\n');
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                continue;
            }

            if (!IsXmlChar(c)) throw Error($"the character U+{(int)c:X4}, which XML does not allow", start);
            _text.Append(c);
        }
    }

    private void CheckChars(int start, int end)
    {
        var keep = _text.Length;
        AppendChars(start, end);
        _text.Length = keep;
    }

    /// <summary>Resolves the reference at <paramref name="amp"/> (before <paramref name="end"/>) into <c>_text</c>; returns the position after its ';'.</summary>
    private int Reference(int amp, int end)
    {
        var semicolon = Array.IndexOf(_xml, (byte)';', amp + 1, Math.Min(end - amp - 1, 32));
        if (semicolon < 0) throw Error("'&' that does not start an entity or character reference", amp);
        var body = _xml.AsSpan(amp + 1, semicolon - amp - 1);
        if (body.Length > 1 && body[0] == '#')
        {
            var hex = body[1] == 'x';
            var digits = body[(hex ? 2 : 1)..];
            var value = 0;
            if (digits.IsEmpty) throw Error("an empty character reference", amp);
            foreach (var d in digits)
            {
                var digit = char.IsAsciiDigit((char)d) ? d - '0'
                    : hex && char.IsAsciiHexDigitLower((char)d) ? d - 'a' + 10
                    : hex && char.IsAsciiHexDigitUpper((char)d) ? d - 'A' + 10
                    : -1;
                if (digit < 0) throw Error($"'{Decode(amp, semicolon + 1)}' is not a character reference", amp);
                value = value * (hex ? 16 : 10) + digit;
                if (value > 0x10FFFF) throw Error($"the character reference '{Decode(amp, semicolon + 1)}' is beyond Unicode", amp);
            }

            var valid = value is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);
            if (!valid) throw Error($"the character reference '{Decode(amp, semicolon + 1)}' names a character XML does not allow", amp);
            if (value < 0x10000)
            {
                _text.Append((char)value);
            }
            else
            {
                _text.Append(char.ConvertFromUtf32(value));
            }

            return semicolon + 1;
        }

        _text.Append(body switch
        {
            _ when body.SequenceEqual("lt"u8) => '<',
            _ when body.SequenceEqual("gt"u8) => '>',
            _ when body.SequenceEqual("amp"u8) => '&',
            _ when body.SequenceEqual("apos"u8) => '\'',
            _ when body.SequenceEqual("quot"u8) => '"',
            _ => throw Error($"the unknown entity '{Decode(amp, semicolon + 1)}' (only &lt; &gt; &amp; &apos; &quot; are predefined)", amp),
        });
        return semicolon + 1;
    }

    private static bool IsXmlChar(char c) => c >= 0x20 ? c is not ('\uFFFE' or '\uFFFF') : c is '\t' or '\n' or '\r';

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private bool SkipSpace(ref int position)
    {
        var start = position;
        while (position < _xml.Length && IsSpace(_xml[position])) position++;
        return position > start;
    }

    private int IndexOf(ReadOnlySpan<byte> value, int from, string what)
    {
        var found = from <= _xml.Length ? _xml.AsSpan(from).IndexOf(value) : -1;
        if (found < 0) throw Error($"the document ends inside {what}", from);
        return from + found;
    }

    private string Decode(int start, int end)
    {
        try
        {
            return StrictUtf8.GetString(_xml, start, end - start);
        }
        catch (DecoderFallbackException)
        {
            throw Error("bytes that are not valid UTF-8", start);
        }
    }

    private S3XmlException Error(string what, int at)
    {
        at = Math.Clamp(at, 0, _xml.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < at; i++)
        {
            if (_xml[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new S3XmlException($"S3 answered XML that cannot be read: {what} (line {line}, byte {at - lineStart + 1} of the line).");
    }
}
