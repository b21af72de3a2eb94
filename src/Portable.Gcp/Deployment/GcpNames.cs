using System.Globalization;
using Portable.Hosting;

namespace Portable.Gcp.Deployment;

/// <summary>
/// The Google Cloud names deploy.sh gives an app's resources, from its catalog: a Cloud Run service (at most 49 characters) and a
/// service account (6 to 30) per function, and the invoker account. Both are lowercase letters, digits and hyphens, starting with a
/// letter; a name that is too long, or that two functions would share, is shortened and given a suffix hashed from the function
/// name, so it stays the same from one publish to the next.
/// </summary>
internal sealed class GcpNames
{
    /// <summary>Cloud Run's longest service name.</summary>
    public const int MaxServiceLength = 49;

    /// <summary>IAM's longest service account id.</summary>
    public const int MaxAccountLength = 30;

    /// <summary>IAM's shortest service account id.</summary>
    public const int MinAccountLength = 6;

    private readonly Dictionary<string, string> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _accounts = new(StringComparer.Ordinal);

    public GcpNames(FunctionCatalog catalog)
    {
        App = Slug(catalog.AppName) is { Length: > 0 } app ? app : "app";
        Invoker = Fit(App + "-invoker", MaxAccountLength, MinAccountLength, null);
        var services = new HashSet<string>(StringComparer.Ordinal);
        var accounts = new HashSet<string>(StringComparer.Ordinal) { Invoker };
        foreach (var function in catalog.Functions)
        {
            var wanted = App + "-" + Slug(function.Name);
            var service = Fit(wanted, MaxServiceLength, 1, null);
            if (!services.Add(service)) services.Add(service = Fit(wanted, MaxServiceLength, 1, function.Name));
            var account = Fit(wanted, MaxAccountLength, MinAccountLength, null);
            if (!accounts.Add(account)) accounts.Add(account = Fit(wanted, MaxAccountLength, MinAccountLength, function.Name));
            _services[function.Name] = service;
            _accounts[function.Name] = account;
        }
    }

    /// <summary>The app's name as a name part: <c>orders</c>.</summary>
    public string App { get; }

    /// <summary>The service account Pub/Sub push, Cloud Scheduler and Eventarc call the private services with.</summary>
    public string Invoker { get; }

    /// <summary>The function's Cloud Run service, which is also the name of its subscription, job or trigger.</summary>
    public string Service(FunctionDefinition function) => _services[function.Name];

    /// <summary>The id (the part before <c>@</c>) of the function's own service account.</summary>
    public string Account(FunctionDefinition function) => _accounts[function.Name];

    /// <summary>Lowercase letters and digits, every other character a hyphen, no hyphen at either end.</summary>
    public static string Slug(string name)
    {
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        return new string(chars).Trim('-');
    }

    /// <summary>A stable 4-hex-digit hash (FNV-1a), so a shortened name does not change between publishes.</summary>
    public static string Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (hash & 0xFFFF).ToString("x4", CultureInfo.InvariantCulture);
    }

    private static string Fit(string wanted, int max, int min, string? disambiguate)
    {
        var name = Slug(wanted);
        if (name.Length == 0 || !char.IsAsciiLetter(name[0])) name = "p-" + name;
        if (disambiguate is not null || name.Length > max)
        {
            var suffix = "-" + Hash(disambiguate ?? wanted);
            name = name[..Math.Min(name.Length, max - suffix.Length)].TrimEnd('-') + suffix;
        }

        while (name.Length < min) name += "-fn";
        return name;
    }
}
