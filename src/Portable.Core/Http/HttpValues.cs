using System.Collections;

namespace Portable;

/// <summary>Names with one or more values each: HTTP headers (case-insensitive names) or query parameters.</summary>
public sealed class HttpValues : IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>
{
    private readonly Dictionary<string, List<string>> _values;

    /// <summary>Creates an empty collection with case-insensitive names.</summary>
    public HttpValues()
        : this(StringComparer.OrdinalIgnoreCase)
    {
    }

    /// <summary>Creates an empty collection.</summary>
    /// <param name="comparer">How names compare.</param>
    public HttpValues(StringComparer comparer) => _values = new Dictionary<string, List<string>>(comparer);

    /// <summary>How many names there are.</summary>
    public int Count => _values.Count;

    /// <summary>The values of a name joined with commas, or null when there is none. Setting replaces every value.</summary>
    /// <param name="name">The name.</param>
    public string? this[string name]
    {
        get => _values.TryGetValue(name, out var list) && list.Count > 0 ? (list.Count == 1 ? list[0] : string.Join(",", list)) : null;
        set
        {
            if (value is null) _values.Remove(name);
            else _values[name] = [value];
        }
    }

    /// <summary>Adds a value to a name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="value">The value.</param>
    public void Add(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
        list.Add(value);
    }

    /// <summary>Every value of a name, in order.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The values; empty when there is none.</returns>
    public IReadOnlyList<string> GetValues(string name) => _values.TryGetValue(name, out var list) ? list : [];

    /// <summary>Whether the name has a value.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when it has.</returns>
    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>Removes a name and its values.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when it was there.</returns>
    public bool Remove(string name) => _values.Remove(name);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, IReadOnlyList<string>>> GetEnumerator()
    {
        foreach (var pair in _values) yield return new(pair.Key, pair.Value);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
