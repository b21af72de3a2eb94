namespace Portable.Azure.Data;

/// <summary>The one <see cref="HttpClient"/> the Table and Event Grid clients share for the life of the process.</summary>
internal sealed class AzureHttp : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(100) };

    public void Dispose() => Client.Dispose();
}
