using Portable.Hosting;

namespace Portable.Local;

/// <summary>The local platform: runs a Portable app on this machine with no cloud account. Chosen when no cloud environment is detected.</summary>
public sealed class LocalPlatform : IPortablePlatform
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
}
