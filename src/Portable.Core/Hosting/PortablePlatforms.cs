namespace Portable.Hosting;

/// <summary>
/// The platform adapters this build carries. The build registers them (a generated module initializer, chosen by the
/// <c>PortableTarget</c> property), so a publish for one cloud carries only that cloud's adapter and nothing is found by scanning.
/// </summary>
public static class PortablePlatforms
{
    private static readonly List<IPortablePlatform> Platforms = [];
    private static readonly Lock Gate = new();

    /// <summary>The registered adapters.</summary>
    public static IReadOnlyList<IPortablePlatform> Registered
    {
        get
        {
            lock (Gate) return [.. Platforms];
        }
    }

    /// <summary>Registers an adapter; a second adapter with the same name replaces the first.</summary>
    /// <param name="platform">The adapter.</param>
    public static void Register(IPortablePlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        lock (Gate)
        {
            Platforms.RemoveAll(p => p.Name == platform.Name);
            Platforms.Add(platform);
        }
    }

    /// <summary>Chooses the adapter: <c>--platform NAME</c>, else <c>PORTABLE_PLATFORM</c>, else the first whose environment is detected, else <c>local</c>.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="PortableConfigurationException">The chosen adapter is not in this build, or none is.</exception>
    public static IPortablePlatform Select(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var registered = Registered;
        var carried = registered.Count == 0 ? "none" : string.Join(", ", registered.Select(p => p.Name));
        if (registered.Count == 0)
        {
            throw new PortableConfigurationException(
                "This build carries no platform adapter. Build with -p:PortableTarget=local (the default), aws, gcp, azure or all, " +
                "or call PortablePlatforms.Register(...) before RunAsync.");
        }

        var index = args.ToList().IndexOf("--platform");
        var named = index >= 0 && index + 1 < args.Count ? args[index + 1] : environment("PORTABLE_PLATFORM");
        if (!string.IsNullOrWhiteSpace(named))
        {
            return registered.FirstOrDefault(p => string.Equals(p.Name, named, StringComparison.OrdinalIgnoreCase))
                ?? throw new PortableConfigurationException(
                    $"Platform '{named}' was asked for, but this build carries only: {carried}. Publish with -p:PortableTarget={named.ToLowerInvariant()}.");
        }

        var detected = registered.FirstOrDefault(p => p.Name != "local" && p.IsDetected(environment));
        if (detected is not null) return detected;
        return registered.FirstOrDefault(p => p.Name == "local")
            ?? throw new PortableConfigurationException(
                $"This build carries only the {carried} adapter, and the environment is not that platform's. " +
                "Run it on that platform, set PORTABLE_PLATFORM, or build with -p:PortableTarget=local to run it on this machine.");
    }
}
