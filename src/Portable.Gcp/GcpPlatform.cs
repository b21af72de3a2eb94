using Portable.Gcp.Deployment;
using Portable.Hosting;

namespace Portable.Gcp;

/// <summary>
/// The Google Cloud platform: runs a Portable app as a Cloud Run function (the Functions Framework contract: an HTTP server on
/// <c>PORT</c> serving the function <c>FUNCTION_TARGET</c> names). Detected when <c>K_SERVICE</c> or <c>FUNCTION_TARGET</c> is set.
/// </summary>
public sealed class GcpPlatform : IPortablePlatform, IDeploymentWriter
{
    private GcpPlatform()
    {
    }

    /// <summary>The one instance, registered by the build's generated platform list.</summary>
    public static GcpPlatform Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "gcp";

    /// <inheritdoc />
    public bool IsDetected(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrEmpty(environment("K_SERVICE")) || !string.IsNullOrEmpty(environment("FUNCTION_TARGET"));
    }

    /// <inheritdoc />
    public Task RunAsync(PortableApp app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        return GcpHost.RunAsync(app, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Writes a <c>Dockerfile</c> for the published app, <c>deploy.sh</c> (one image built once, one private Cloud Run service per
    /// function with its own least-privilege service account, Pub/Sub push subscriptions with dead-letter topics, Cloud Scheduler jobs,
    /// Eventarc triggers, secrets from Secret Manager) and <c>gcp-deploy.md</c>, which explains it; prints what Google Cloud cannot honour.
    /// </remarks>
    public Task WriteDeploymentAsync(PortableApp app, string outputDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        return ContainerRecipeWriter.WriteAsync(app, outputDirectory, cancellationToken);
    }
}
