namespace Portable.Hosting;

/// <summary>
/// Implemented by a platform adapter that writes deployment files from the catalog (a SAM template, host.json and
/// function.json files, a container recipe). The publish step runs the published app with <c>--write-deployment DIR</c>.
/// </summary>
public interface IDeploymentWriter
{
    /// <summary>Writes the platform's deployment files for the app into a folder.</summary>
    /// <param name="app">The app, with its catalog.</param>
    /// <param name="outputDirectory">The publish folder.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the files are written.</returns>
    Task WriteDeploymentAsync(PortableApp app, string outputDirectory, CancellationToken cancellationToken);
}
