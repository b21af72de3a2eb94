namespace Portable.Hosting;

/// <summary>A route such as <c>/orders/{id}</c> or <c>/files/{*path}</c>: literal segments, parameters, and a catch-all last.</summary>
public sealed class RouteTemplate
{
    private readonly Segment[] _segments;

    private RouteTemplate(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>The template as written, normalised to start with <c>/</c>.</summary>
    public string Text { get; }

    /// <summary>The parameter names, in order.</summary>
    public IEnumerable<string> Parameters => _segments.Where(s => s.Kind != SegmentKind.Literal).Select(s => s.Value);

    /// <summary>How specific the route is: literal segments rank above parameters, parameters above a catch-all, and a catch-all below the same route without it.</summary>
    public int Specificity => _segments.Sum(s => s.Kind switch { SegmentKind.Literal => 101, SegmentKind.Parameter => 11, _ => -1 });

    /// <summary>The route with parameter names erased, such as <c>/orders/{}</c>: two routes of one shape cannot both be reached.</summary>
    internal string Shape => "/" + string.Join('/', _segments.Select(s => s.Kind switch { SegmentKind.Literal => s.Value.ToLowerInvariant(), SegmentKind.Parameter => "{}", _ => "{*}" }));

    /// <summary>Reads a template.</summary>
    /// <param name="template">The template, such as <c>/orders/{id}</c>.</param>
    /// <returns>The template.</returns>
    /// <exception cref="PortableConfigurationException">The template is malformed.</exception>
    public static RouteTemplate Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var text = "/" + template.Trim().Trim('/');
        var parts = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var segments = new Segment[parts.Length];
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.StartsWith('{') && part.EndsWith('}'))
            {
                var catchAll = part.StartsWith("{*", StringComparison.Ordinal);
                var name = part[(catchAll ? 2 : 1)..^1].TrimEnd('+');
                if (name.Length == 0 || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '_'))
                    throw new PortableConfigurationException($"Route '{template}' has a malformed parameter '{part}'. Write parameters as {{name}} or {{*rest}}.");
                if (!names.Add(name))
                    throw new PortableConfigurationException($"Route '{template}' names the parameter '{name}' twice.");
                var greedy = catchAll || part.EndsWith("+}", StringComparison.Ordinal);
                if (greedy && i != parts.Length - 1)
                    throw new PortableConfigurationException($"Route '{template}' has a catch-all parameter that is not the last segment.");
                segments[i] = new Segment(greedy ? SegmentKind.CatchAll : SegmentKind.Parameter, name);
            }
            else if (part.Contains('{', StringComparison.Ordinal) || part.Contains('}', StringComparison.Ordinal))
            {
                throw new PortableConfigurationException($"Route '{template}' mixes text and a parameter in the segment '{part}'. A parameter must be a whole segment.");
            }
            else
            {
                segments[i] = new Segment(SegmentKind.Literal, part);
            }
        }

        return new RouteTemplate(text, segments);
    }

    /// <summary>Matches a request path.</summary>
    /// <param name="path">The path, without the query string.</param>
    /// <param name="values">The captured parameters, unescaped, when it matches.</param>
    /// <returns>True when the path matches.</returns>
    public bool TryMatch(string path, out Dictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(path);
        values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            if (segment.Kind == SegmentKind.CatchAll)
            {
                values[segment.Value] = Uri.UnescapeDataString(string.Join('/', parts.Skip(i)));
                return true;
            }

            if (i >= parts.Length) return false;
            if (segment.Kind == SegmentKind.Literal)
            {
                if (!string.Equals(segment.Value, Uri.UnescapeDataString(parts[i]), StringComparison.OrdinalIgnoreCase)) return false;
            }
            else
            {
                values[segment.Value] = Uri.UnescapeDataString(parts[i]);
            }
        }

        return parts.Length == _segments.Length;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private enum SegmentKind
    {
        Literal,
        Parameter,
        CatchAll,
    }

    private readonly record struct Segment(SegmentKind Kind, string Value);
}
