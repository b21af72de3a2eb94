using Microsoft.AspNetCore.Builder;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Local;

/// <summary>The local platform: runs a Portable app on this machine with no cloud account. Chosen when no cloud environment is detected.</summary>
public sealed class LocalPlatform : IPortablePlatform, IWebApplicationPlatform
{
    private LocalPlatform()
    {
    }

    /// <summary>The <c>messaging.system</c> of the local queues and topics, on send, publish and delivery spans.</summary>
    internal const string MessagingSystem = "portable_local";

    /// <summary>The one instance, registered by the build's generated platform list.</summary>
    public static LocalPlatform Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "local";

    /// <inheritdoc />
    /// <remarks>Always true: the local host is the fallback when no cloud is detected.</remarks>
    public bool IsDetected(Func<string, string?> environment) => true;

    /// <inheritdoc />
    /// <remarks>
    /// With <c>--cost [--requests N]</c> it prints the cost projection of what earlier local runs measured and returns without starting
    /// the host; a bad setting or price file is one line on standard error naming it, and exit code 1.
    /// </remarks>
    public Task RunAsync(PortableApp app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Args.Contains(Cost.CostCommand.Switch, StringComparer.Ordinal))
        {
            try
            {
                Cost.CostCommand.Run(app, Console.Out);
            }
            catch (PortableConfigurationException e)
            {
                Console.Error.WriteLine($"--cost: {e.Message}");
                Environment.ExitCode = 1;
            }

            return Task.CompletedTask;
        }

        return LocalHost.RunAsync(app, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Adds the local services to an ASP.NET Core app, as <see cref="LocalHost.Build"/> does for a host of its own: the SQLite
    /// store, <see cref="IRepository{T}"/>, durable <see cref="IQueue{T}"/>, <see cref="INotifier"/>, and the hosted services that
    /// deliver queue and topic messages and run the schedules. The options are read from the app's configuration
    /// (<see cref="LocalOptions.SectionName"/>) and validated now; <see cref="LocalOptions.Port"/> is not used: the app's own
    /// Kestrel settings say where it listens.
    /// </remarks>
    public void AddTo(WebApplicationBuilder builder, PortableApp app)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(app);
        var options = LocalOptions.FromConfiguration(builder.Configuration);
        options.Validate();
        builder.Services.AddPortableApp(app, Name);
        LocalHost.AddLocalServices(builder.Services, options, app.Catalog);
    }
}
