using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Gcp.Auth;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests.Contracts;

/// <summary>A contract app's GCP services, pointed at a fresh in-test <see cref="FakeGoogleApis"/>.</summary>
internal sealed class GoogleContractServices : IAsyncDisposable
{
    private GoogleContractServices(FakeGoogleApis google, ServiceProvider services)
    {
        Google = google;
        Services = services;
    }

    public FakeGoogleApis Google { get; }

    public ServiceProvider Services { get; }

    private int _taken;

    /// <summary>Starts a fake and the app's services on it; with <paramref name="handler"/>, every Google API call is sent through it.</summary>
    public static async Task<GoogleContractServices> StartAsync(PortableApp app, HttpMessageHandler? handler = null)
    {
        var google = await FakeGoogleApis.StartAsync();
        IServiceCollection services = new ServiceCollection();
        foreach (var descriptor in app.Services) services.Add(descriptor);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        if (handler is not null) services.AddSingleton(new GoogleApiHttp(new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) }));
        GcpHost.AddGcpServices(services, app, new GcpSettings
        {
            ProjectId = "test-project",
            FirestoreEmulatorHost = google.HostAndPort,
            PubSubEmulatorHost = google.HostAndPort,
        });
        return new GoogleContractServices(google, services.BuildServiceProvider());
    }

    /// <summary>The messages published to <paramref name="topic"/> since the last call.</summary>
    public IReadOnlyList<PublishedMessage> TakePublished(string topic)
    {
        var all = Google.PublishedTo(topic);
        var fresh = all.Skip(_taken).ToList();
        _taken = all.Count;
        return fresh;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Google.DisposeAsync();
    }
}
