namespace Portable.OpenTelemetry;

/// <summary>Matches source or meter names against a list of names, each exact or ending with a <c>*</c> wildcard (case-insensitive, as the SDK's).</summary>
internal sealed class NameFilter(IEnumerable<string> names)
{
    private readonly string[] _exact = names.Where(n => !n.EndsWith('*')).ToArray();
    private readonly string[] _prefixes = names.Where(n => n.EndsWith('*')).Select(n => n[..^1]).ToArray();

    public bool Matches(string name)
    {
        foreach (var exact in _exact)
        {
            if (string.Equals(exact, name, StringComparison.OrdinalIgnoreCase)) return true;
        }

        foreach (var prefix in _prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }
}
