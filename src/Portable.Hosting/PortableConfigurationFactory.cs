using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Portable.Hosting;

/// <summary>
/// Makes every Portable app's configuration, the same on every platform: <c>appsettings.json</c>, then
/// <c>appsettings.{Environment}.json</c> from the content root (both optional, read once, never watched: no file watcher, which
/// costs a cold start hundreds of milliseconds), then environment variables, then the command line. <see cref="PortableAppBuilder"/>
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
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine([.. args.Where(a => a != "--describe")]);
        return configuration;
    }
}
