using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>Any app on the GCP host (real Kestrel, 127.0.0.1, a free port), one function as its target: one Cloud Run service.</summary>
internal sealed class GcpAppHost : IAsyncDisposable
{
    private readonly WebApplication _web;

    private GcpAppHost(WebApplication web, string address)
    {
        _web = web;
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _web.Services;

    /// <summary>Starts the app on the host; with <paramref name="storage"/>, its buckets are <c>test-project-{bucket}</c> in that in-test Cloud Storage.</summary>
    public static async Task<GcpAppHost> StartAsync(Action<PortableAppBuilder> configure, string target, FakeGoogleApis google, TimeProvider? time = null, FakeCloudStorage? storage = null,
        Func<string, string?>? bucketOverride = null)
    {
        var builder = PortableApp.CreateBuilder([]);
        configure(builder);
        if (time is not null) builder.TimeProvider = time;
        var app = builder.Build();
        var settings = new GcpSettings
        {
            Port = 0,
            Target = target,
            ProjectId = "test-project",
            FirestoreEmulatorHost = google.HostAndPort,
            PubSubEmulatorHost = google.HostAndPort,
            StorageEmulatorHost = storage?.HostAndPort,
            BucketOverride = bucketOverride ?? (_ => null),
            MetadataHost = storage?.HostAndPort ?? "metadata.google.internal",
            IamCredentialsBase = storage is null ? "https://iamcredentials.googleapis.com/" : $"http://{storage.HostAndPort}/",
        };
        foreach (var bucket in app.Catalog.Buckets) storage?.CreateBucket(GcsTestServices.Physical(bucket));
        var web = GcpHost.Build(app, settings, logOutput: TextWriter.Null);
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GcpAppHost(web, address);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}
