namespace Portable.Gcp.Auth;

/// <summary>The one HTTP client the host's Google API calls share (disposed with the container).</summary>
internal sealed class GoogleApiHttp(HttpClient client) : IDisposable
{
    public HttpClient Client { get; } = client;

    public void Dispose() => Client.Dispose();
}
