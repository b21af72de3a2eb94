using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;

namespace Portable.AspNetCore.Functions;

/// <summary>
/// The <see cref="IServer"/> of a run with <c>--write-deployment DIR</c> or <c>--describe</c> (the publish step runs the published
/// app so): serves nothing, lets the Portable app write its deployment files or print its catalog, and stops the app. A failure
/// fails the run with exit code 1 and the reason on stderr, so the publish fails.
/// </summary>
internal sealed class DeploymentServer(PortableApp app, IHostApplicationLifetime lifetime) : IServer
{
    /// <inheritdoc />
    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <inheritdoc />
    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        try
        {
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PortableConfigurationException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            Environment.ExitCode = 1;
        }

        lifetime.StopApplication();
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
