using Microsoft.AspNetCore.Builder;
using Portable.Azure.Deployment;
using Portable.Azure.Handler;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Azure;

/// <summary>
/// The Azure Functions platform: runs a Portable app as a custom handler (an HTTP server on <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>
/// that the Functions host calls), and writes <c>host.json</c> and one <c>function.json</c> per function when published.
/// </summary>
public sealed class AzurePlatform : IPortablePlatform, IDeploymentWriter, IWebApplicationPlatform
{
    private AzurePlatform()
    {
    }

    /// <summary>The one instance, registered by the build's generated platform list.</summary>
    public static AzurePlatform Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "azure";

    /// <inheritdoc />
    /// <remarks>True when <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> is set, as the Functions host does for a custom handler.</remarks>
    public bool IsDetected(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrEmpty(environment("FUNCTIONS_CUSTOMHANDLER_PORT"));
    }

    /// <inheritdoc />
    public Task RunAsync(PortableApp app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        return AzureHost.RunAsync(app, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Writes <c>host.json</c>, a folder with a <c>function.json</c> for each function, and <c>local.settings.json</c>.</remarks>
    public Task WriteDeploymentAsync(PortableApp app, string outputDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        return AzureDeploymentWriter.WriteAsync(app, outputDirectory, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// For an ASP.NET Core app as a custom handler: Kestrel listens on 127.0.0.1:<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>; the Table
    /// Storage, Storage Queue and Event Grid ports are added; the host's invocations of the Portable functions
    /// (<c>POST /{FunctionName}</c> with <c>X-Azure-Functions-InvocationId</c>) are answered as a Portable app on Azure answers them,
    /// ahead of the app's routes; and every other request (forwarded by the catch-all HTTP function) reaches the app, with the
    /// route prefix (<c>Portable:Azure:RoutePrefix</c>, as in <c>host.json</c>) as its <c>PathBase</c>.
    /// </remarks>
    public void AddTo(WebApplicationBuilder builder, PortableApp app)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(app);
        AzureWebApplication.AddTo(builder, app);
    }
}
