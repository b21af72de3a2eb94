using Microsoft.Extensions.Configuration;

namespace Portable.Local.Cost;

/// <summary>
/// The cost projection's settings, from configuration section <see cref="SectionName"/>; on the command line <c>--requests N</c>,
/// <c>--container NAME</c> and <c>--free-tiers</c> win over them.
/// </summary>
internal sealed class CostOptions
{
    /// <summary>The configuration section: <c>Portable:Local:Cost</c>.</summary>
    public const string SectionName = "Portable:Local:Cost";

    /// <summary>The monthly request volume priced for each function when none is given. Default 1,000,000.</summary>
    public const long DefaultRequests = 1_000_000;

    /// <summary>The user's price file, merged over the built-in one (relative to the folder the app runs from); null to look for <c>portable-prices.json</c> there, then beside the executable.</summary>
    public string? PricesFile { get; set; }

    /// <summary>The always-on container to compare with; null for the price list's default.</summary>
    public string? Container { get; set; }

    /// <summary>Deduct each platform's monthly free tier. Default false: a free tier is the whole account's, not one function's.</summary>
    public bool FreeTiers { get; set; }

    /// <summary>The monthly request volume priced for each function.</summary>
    public long Requests { get; set; } = DefaultRequests;

    /// <summary>Reads the section, then the command line's <c>--requests</c>, <c>--container</c> and <c>--free-tiers</c>.</summary>
    /// <exception cref="PortableConfigurationException">A value is malformed; the message names it.</exception>
    public static CostOptions From(IConfiguration configuration, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(args);
        var section = configuration.GetSection(SectionName);
        var options = new CostOptions
        {
            PricesFile = section["PricesFile"] is { Length: > 0 } file ? file : null,
            Container = section["Container"] is { Length: > 0 } container ? container : null,
        };
        if (section["FreeTiers"] is { } free)
            options.FreeTiers = bool.TryParse(free, out var b) ? b : throw new PortableConfigurationException($"{SectionName}:FreeTiers is '{free}'; write true or false.");
        if (section["Requests"] is { } requests) options.Requests = ParseRequests(requests, $"{SectionName}:Requests");
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--requests":
                    options.Requests = ParseRequests(i + 1 < args.Count ? args[++i] : null, "--requests");
                    break;
                case "--container":
                    options.Container = i + 1 < args.Count ? args[++i] : throw new PortableConfigurationException("--container needs a name: --container instance-30");
                    break;
                case "--free-tiers":
                    options.FreeTiers = true;
                    break;
            }
        }

        return options;
    }

    /// <summary>Reads a request volume: a whole number, 0 or more (thousands separators and a trailing M or k allowed: 10M, 250k).</summary>
    /// <exception cref="PortableConfigurationException">It is not one; the message names <paramref name="name"/>.</exception>
    public static long ParseRequests(string? value, string name)
    {
        var text = value?.Trim().Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        var scale = 1L;
        if (text is { Length: > 1 } && char.ToUpperInvariant(text[^1]) is 'M' or 'K')
        {
            scale = char.ToUpperInvariant(text[^1]) == 'M' ? 1_000_000 : 1_000;
            text = text[..^1];
        }

        if (decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n >= 0 && n * scale <= long.MaxValue)
        {
            return (long)(n * scale);
        }

        throw new PortableConfigurationException($"{name} is '{value}', which is not a monthly request volume such as 10000000 or 10M.");
    }
}
