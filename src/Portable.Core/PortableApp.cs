using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portable.Hosting;

namespace Portable;

/// <summary>A built Portable app: its functions, services and resources, run by whichever platform adapter the environment calls for.</summary>
public sealed class PortableApp
{
    internal PortableApp(IReadOnlyList<string> args, IServiceCollection services, FunctionCatalog catalog, JsonSerializerOptions json, TimeProvider timeProvider,
        IConfiguration configuration, IHostEnvironment environment)
    {
        Configuration = configuration;
        Environment = environment;
        Args = args;
        Services = services;
        Catalog = catalog;
        Json = json;
        TimeProvider = timeProvider;
    }

    /// <summary>The command-line arguments.</summary>
    public IReadOnlyList<string> Args { get; }

    /// <summary>The app's service registrations; a platform copies them into its container.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The functions, repositories, queues and topics.</summary>
    public FunctionCatalog Catalog { get; }

    /// <summary>The JSON options with the app's source-generated contexts (read-only).</summary>
    public JsonSerializerOptions Json { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The app's configuration (<see cref="PortableAppBuilder.Configuration"/>); every platform registers it as <see cref="IConfiguration"/>.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The app's environment (<see cref="PortableAppBuilder.Environment"/>); every platform registers it as <see cref="IHostEnvironment"/>.</summary>
    public IHostEnvironment Environment { get; }

    /// <summary>Starts building an app.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>The builder.</returns>
    public static PortableAppBuilder CreateBuilder(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new PortableAppBuilder(args);
    }

    /// <summary>
    /// Runs the app until the platform stops it. With <c>--describe</c> it prints the catalog as JSON and returns; with
    /// <c>--write-deployment DIR</c> each adapter in the build that implements <see cref="IDeploymentWriter"/> writes its deployment files.
    /// Otherwise it runs on the platform named by <c>--platform</c> or <c>PORTABLE_PLATFORM</c>, or else the one the environment
    /// points at (<c>AWS_LAMBDA_RUNTIME_API</c>, <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, <c>K_SERVICE</c> / <c>FUNCTION_TARGET</c>), or else locally.
    /// </summary>
    /// <param name="cancellationToken">Stops the app.</param>
    /// <returns>A task that completes when the app has stopped.</returns>
    /// <exception cref="PortableConfigurationException">No platform adapter fits; the message says which ones this build carries.</exception>
    public Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Args.Contains("--describe", StringComparer.Ordinal))
        {
            Catalog.Validate();
            Console.Out.WriteLine(Catalog.ToJson());
            return Task.CompletedTask;
        }

        var write = Args.ToList().IndexOf("--write-deployment");
        if (write >= 0)
        {
            if (write + 1 >= Args.Count) throw new PortableConfigurationException("--write-deployment needs a folder: --write-deployment out/aws");
            Catalog.Validate(); // a publish fails here when a type has no JSON metadata, rather than the deployed function
            return WriteDeploymentAsync(Args[write + 1], cancellationToken);
        }

        var platform = PortablePlatforms.Select(Args, System.Environment.GetEnvironmentVariable);
        return platform.RunAsync(this, cancellationToken);
    }

    private async Task WriteDeploymentAsync(string folder, CancellationToken cancellationToken)
    {
        var writers = PortablePlatforms.Registered.OfType<IDeploymentWriter>().ToList();
        if (writers.Count == 0)
        {
            await Console.Out.WriteLineAsync($"No platform in this build ({string.Join(", ", PortablePlatforms.Registered.Select(p => p.Name))}) writes deployment files.").ConfigureAwait(false);
            return;
        }

        Directory.CreateDirectory(folder);
        foreach (var writer in writers) await writer.WriteDeploymentAsync(this, folder, cancellationToken).ConfigureAwait(false);
    }
}
