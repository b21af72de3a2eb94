using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Portable.Hosting;

/// <summary>
/// Makes every Portable app's configuration, the same on every platform: <c>appsettings.json</c>, then
/// <c>appsettings.{Environment}.json</c> from the content root (both optional, read once, never watched: no file watcher, which
/// costs a cold start hundreds of milliseconds), then, in the Development environment of a project with a <c>UserSecretsId</c>, its
/// user secrets (<c>dotnet user-secrets</c>), then environment variables, then the command line. <see cref="PortableAppBuilder"/>
/// finds this class by name; an app does not call it.
/// </summary>
public sealed class PortableConfigurationFactory : IPortableConfigurationFactory
{
    /// <inheritdoc />
    public IConfigurationManager Create(IHostEnvironment environment, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(args);
        var configuration = new ConfigurationManager();
        // Read once by our own reader (AppSettingsFile): no watcher, and none of the file-provider and JSON-configuration
        // assemblies, whose loading and JIT compiling cost a JIT cold start 10 to 30 ms (bench/README.md).
        IConfigurationBuilder sources = configuration;
        sources.Add(new AppSettingsFile(Path.Combine(environment.ContentRootPath, "appsettings.json")));
        sources.Add(new AppSettingsFile(Path.Combine(environment.ContentRootPath, $"appsettings.{environment.EnvironmentName}.json")));
        if (UserSecretsFile(environment, Environment.GetEnvironmentVariable) is { } secrets) sources.Add(new AppSettingsFile(secrets));
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine([.. args.Where(a => a != "--describe")]);
        return configuration;
    }

    /// <summary>
    /// The <c>secrets.json</c> that <c>dotnet user-secrets set</c> writes for this project, in the Development environment only.
    /// The project's <c>UserSecretsId</c> reaches the app as the runtime setting <c>Portable.UserSecretsId</c> (Portable.Core's
    /// build targets add it), so no attribute is read by reflection.
    /// </summary>
    /// <param name="environment">The host environment.</param>
    /// <param name="variable">Reads an environment variable.</param>
    /// <returns>The file's path (which may not exist), or null.</returns>
    internal static string? UserSecretsFile(IHostEnvironment environment, Func<string, string?> variable)
    {
        if (!environment.IsDevelopment() || AppContext.GetData("Portable.UserSecretsId") is not string { Length: > 0 } id) return null;
        if (id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || id is "." or "..")
        {
            throw new PortableConfigurationException($"The project's UserSecretsId '{id}' cannot be a folder name. Use a GUID, as `dotnet user-secrets init` does.");
        }

        // Where the user-secrets tool keeps them: %APPDATA%\Microsoft\UserSecrets on Windows, ~/.microsoft/usersecrets elsewhere.
        var appData = variable("APPDATA");
        var home = variable("HOME");
        var root = !string.IsNullOrEmpty(appData) ? Path.Combine(appData, "Microsoft", "UserSecrets")
            : !string.IsNullOrEmpty(home) ? Path.Combine(home, ".microsoft", "usersecrets")
            : variable("DOTNET_USER_SECRETS_FALLBACK_DIR");
        return string.IsNullOrEmpty(root) ? null : Path.Combine(root, id, "secrets.json");
    }
}
