using Microsoft.AspNetCore.Builder;
using Portable.Gcp.Deployment;
using Portable.Gcp.Http;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Gcp;

/// <summary>
/// The Google Cloud platform: runs a Portable app as a Cloud Run function (the Functions Framework contract: an HTTP server on
/// <c>PORT</c> serving the function <c>FUNCTION_TARGET</c> names). Detected when <c>K_SERVICE</c> or <c>FUNCTION_TARGET</c> is set.
/// </summary>
public sealed class GcpPlatform : IPortablePlatform, IDeploymentWriter, IWebApplicationPlatform
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

    /// <inheritdoc />
    /// <remarks>
    /// For an ASP.NET Core app on Cloud Run: Kestrel listens on <c>PORT</c> (all addresses in a container, loopback otherwise);
    /// the console logger gives way to Cloud Logging JSON lines, each request's lines carrying its trace (<c>traceparent</c>, else
    /// <c>X-Cloud-Trace-Context</c>); the Firestore and Pub/Sub ports are added; and the functions' Pub/Sub pushes, CloudEvents
    /// (Eventarc) and Cloud Scheduler calls are served at <c>/_portable/functions/{name}</c> as a Cloud Run function of that name
    /// serves them, ahead of the app's own routes; a service whose <c>FUNCTION_TARGET</c> names one of the functions gives it every request.
    /// </remarks>
    public void AddTo(WebApplicationBuilder builder, PortableApp app)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(app);
        GcpWebApplication.AddTo(builder, app);
    }
}
