using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Blobs;
using Portable.Gcp.Auth;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>
/// An app's GCP services (the adapter's own registration) pointed at a fresh <see cref="FakeCloudStorage"/>: Cloud Storage through
/// <c>STORAGE_EMULATOR_HOST</c>, the metadata server and the IAM Credentials API at the fake, project <c>test-project</c>, and each
/// declared bucket created as <c>test-project-{bucket}</c>, the name deploy.sh gives it.
/// </summary>
internal sealed class GcsTestServices : IAsyncDisposable
{
    public const string Project = "test-project";

    private GcsTestServices(FakeCloudStorage storage, ServiceProvider services)
    {
        Storage = storage;
        Services = services;
    }

    public FakeCloudStorage Storage { get; }

    public ServiceProvider Services { get; }

    /// <summary>Starts the fake and the services; <paramref name="signingKeyFile"/> signs URLs with a key instead of signBlob.</summary>
    public static async Task<GcsTestServices> StartAsync(PortableApp app, string? signingKeyFile = null, HttpMessageHandler? handler = null, ILoggerFactory? logs = null)
    {
        var storage = await FakeCloudStorage.StartAsync();
        foreach (var bucket in app.Catalog.Buckets) storage.CreateBucket(Physical(bucket));
        IServiceCollection services = new ServiceCollection();
        foreach (var descriptor in app.Services) services.Add(descriptor);
        services.AddSingleton(logs ?? NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        if (handler is not null) services.AddSingleton(new GoogleApiHttp(new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) }));
        GcpHost.AddGcpServices(services, app, Settings(storage, signingKeyFile));
        return new GcsTestServices(storage, services.BuildServiceProvider());
    }

    /// <summary>The settings that point the adapter at the fake.</summary>
    public static GcpSettings Settings(FakeCloudStorage storage, string? signingKeyFile = null) => new()
    {
        ProjectId = Project,
        StorageEmulatorHost = storage.HostAndPort,
        MetadataHost = storage.HostAndPort,
        IamCredentialsBase = $"http://{storage.HostAndPort}/",
        SigningKeyFile = signingKeyFile,
    };

    public static string Physical(string bucket) => $"{Project}-{bucket}";

    public IBlobStore Store(string bucket) => Services.GetRequiredKeyedService<IBlobStore>(bucket);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Storage.DisposeAsync();
    }
}
