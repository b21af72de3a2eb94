using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
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
        // One provider for both files, rooted at the content root. PhysicalFileProvider starts no watcher until Watch is called,
        // and nothing calls it: reloadOnChange is false for both files.
        var files = new PhysicalFileProvider(environment.ContentRootPath);
        configuration.AddJsonFile(files, "appsettings.json", optional: true, reloadOnChange: false);
        configuration.AddJsonFile(files, $"appsettings.{environment.EnvironmentName}.json", optional: true, reloadOnChange: false);
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine([.. args.Where(a => a != "--describe")]);
        return configuration;
    }
}
