using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Portable.Hosting;

/// <summary>
/// The app's <see cref="IHostEnvironment"/>: its name, the environment name (<see cref="Resolve"/>), and the executable's
/// folder as content root. The content root's file provider is a <see cref="NullFileProvider"/>: it never watches, because a
/// watcher on the content root costs a cold start hundreds of milliseconds.
/// </summary>
internal sealed class PortableHostEnvironment : IHostEnvironment
{
    /// <summary>The environment name when nothing sets one and the app runs locally.</summary>
    public const string LocalDefault = "Development";

    /// <summary>The environment name when nothing sets one and the app runs in a cloud (or the platform is not known).</summary>
    public const string CloudDefault = "Production";

    public PortableHostEnvironment(string applicationName, string environmentName, string contentRootPath)
    {
        ApplicationName = applicationName;
        EnvironmentName = environmentName;
        ContentRootPath = contentRootPath;
    }

    public string EnvironmentName { get; set; }

    public string ApplicationName { get; set; }

    public string ContentRootPath { get; set; }

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();

    /// <summary>
    /// The environment name: <c>PORTABLE_ENVIRONMENT</c>, else <c>DOTNET_ENVIRONMENT</c>, else <c>Development</c> when the app
    /// will run on the local platform and <c>Production</c> otherwise. The platform is the one <see cref="PortablePlatforms.Select"/>
    /// would choose (<c>--platform</c>, <c>PORTABLE_PLATFORM</c>, a detected cloud, else local); when the build carries no adapter
    /// yet (a test that builds an app by hand), it is <c>Production</c>, the .NET default.
    /// </summary>
    public static string Resolve(IReadOnlyList<string> args, Func<string, string?> environment, IReadOnlyList<IPortablePlatform> registered)
    {
        var named = environment("PORTABLE_ENVIRONMENT");
        if (string.IsNullOrWhiteSpace(named)) named = environment("DOTNET_ENVIRONMENT");
        if (!string.IsNullOrWhiteSpace(named)) return named.Trim();
        return RunsLocally(args, environment, registered) ? LocalDefault : CloudDefault;
    }

    private static bool RunsLocally(IReadOnlyList<string> args, Func<string, string?> environment, IReadOnlyList<IPortablePlatform> registered)
    {
        var index = args.ToList().IndexOf("--platform");
        var platform = index >= 0 && index + 1 < args.Count ? args[index + 1] : environment("PORTABLE_PLATFORM");
        if (!string.IsNullOrWhiteSpace(platform)) return string.Equals(platform.Trim(), "local", StringComparison.OrdinalIgnoreCase);
        if (registered.Any(p => p.Name != "local" && p.IsDetected(environment))) return false;
        return registered.Any(p => p.Name == "local");
    }
}
