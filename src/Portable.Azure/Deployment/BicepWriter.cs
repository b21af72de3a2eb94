using System.Text;

namespace Portable.Azure.Deployment;

/// <summary>
/// Writes Bicep text: indented blocks, quoted strings, and symbolic names made from catalog names (letters and digits, each part
/// capitalized, unique in the file).
/// </summary>
internal sealed class BicepWriter
{
    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _symbols = new(StringComparer.OrdinalIgnoreCase);
    private int _depth;

    public void Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _depth * 2);
        _text.Append(line).Append('\n');
    }

    /// <summary>Writes <paramref name="head"/> followed by <c>{</c>, the body one level in, and <c>}</c>.</summary>
    public void Block(string head, Action body)
    {
        Line(head.Length == 0 ? "{" : head + " {");
        _depth++;
        body();
        _depth--;
        Line("}");
    }

    /// <summary>Writes <paramref name="head"/> followed by <c>[</c>, the items one level in, and <c>]</c>.</summary>
    public void Array(string head, Action items)
    {
        Line(head + " [");
        _depth++;
        items();
        _depth--;
        Line("]");
    }

    /// <summary>A new symbolic name: the prefix, then the name's letters and digits with each part capitalized; a number is added when it is taken.</summary>
    public string Symbol(string prefix, string name)
    {
        var symbol = new StringBuilder(prefix);
        var partStarts = true;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                partStarts = true;
                continue;
            }

            symbol.Append(partStarts ? char.ToUpperInvariant(c) : c);
            partStarts = false;
        }

        var candidate = symbol.ToString();
        for (var n = 2; !_symbols.Add(candidate); n++) candidate = symbol.ToString() + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return candidate;
    }

    /// <summary>A Bicep string literal: single quotes, with <c>\</c>, <c>'</c> and <c>${</c> escaped.</summary>
    public static string Quote(string value)
    {
        var quoted = new StringBuilder("'", value.Length + 2);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': quoted.Append("\\\\"); break;
                case '\'': quoted.Append("\\'"); break;
                case '$': quoted.Append("\\$"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default: quoted.Append(c); break;
            }
        }

        return quoted.Append('\'').ToString();
    }

    public override string ToString() => _text.ToString();
}
