namespace Portable.Hosting;

/// <summary>A platform adapter's entry point: it hosts a <see cref="PortableApp"/> on its platform's contract.</summary>
public interface IPortablePlatform
{
    /// <summary>The platform name: <c>local</c>, <c>aws</c>, <c>gcp</c> or <c>azure</c>.</summary>
    string Name { get; }

    /// <summary>Whether the environment says the process runs on this platform.</summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>True when it does.</returns>
    bool IsDetected(Func<string, string?> environment);

    /// <summary>Hosts the app until the platform stops it or <paramref name="cancellationToken"/> is signalled.</summary>
    /// <param name="app">The app.</param>
    /// <param name="cancellationToken">Stops the host.</param>
    /// <returns>A task that completes when the host has stopped.</returns>
    Task RunAsync(PortableApp app, CancellationToken cancellationToken);
}
