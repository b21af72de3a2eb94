using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Portable.Hosting;

/// <summary>
/// Makes the configuration a <see cref="PortableAppBuilder"/> starts from. Portable.Core references abstractions only, so the
/// concrete configuration (<c>appsettings.json</c> and <c>appsettings.{Environment}.json</c> read once, environment variables,
/// the command line) is made by <c>Portable.Hosting.PortableConfigurationFactory</c>, which every platform adapter and
/// Portable.Testing carry. The builder finds that class once, when it is created; nothing else implements this interface.
/// </summary>
public interface IPortableConfigurationFactory
{
    /// <summary>Makes the configuration for an app.</summary>
    /// <param name="environment">The app's environment: its name picks <c>appsettings.{Environment}.json</c>, its content root holds the files.</param>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>The configuration, already loaded; more sources can be added to it.</returns>
    IConfigurationManager Create(IHostEnvironment environment, IReadOnlyList<string> args);
}
