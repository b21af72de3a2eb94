using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Portable.Blobs;
using Portable.Gcp.Auth;
using Portable.Gcp.Firestore;
using Portable.Gcp.Http;
using Portable.Gcp.Logging;
using Portable.Gcp.PubSub;
using Portable.Gcp.Storage;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Gcp;

/// <summary>
/// Builds the Functions Framework host on the Kestrel host every Portable adapter shares (appsettings.json read once, never
/// watched). It listens on <c>PORT</c> (all addresses in a container, loopback otherwise), serves the one function
/// <c>FUNCTION_TARGET</c> names (the app's only function when it is not set), logs Cloud Logging JSON, and on SIGTERM stops accepting and drains in-flight requests.
/// </summary>
internal static class GcpHost
{
    public static WebApplication Build(PortableApp app, GcpSettings settings, Action<WebApplicationBuilder>? configureWeb = null, TextWriter? logOutput = null)
    {
        var function = SelectFunction(app.Catalog, settings);
        var builder = KestrelHost.CreateBuilder(app, GcpPlatform.Instance.Name);
        builder.Logging.AddProvider(new GcpJsonLoggerProvider(logOutput ?? Console.Out, settings.ProjectId));
        configureWeb?.Invoke(builder);

        AddGcpServices(builder.Services, app, settings);
        builder.Services.TryAddSingleton(sp => new GcpFunctionHandler(
            function, settings.SignatureType, sp.GetRequiredService<FunctionExecutor>(), sp.GetRequiredService<HttpDispatcher>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Gcp"), app.TimeProvider, settings.BucketOverride));
        builder.Services.TryAddSingleton<GcpHttpEndpoint>();
        return KestrelHost.Build(builder, settings.BindAllAddresses ? System.Net.IPAddress.Any : System.Net.IPAddress.Loopback, settings.Port,
            settings.ShutdownTimeout, services => services.GetRequiredService<GcpHttpEndpoint>().HandleAsync);
    }

    public static Task RunAsync(PortableApp app, CancellationToken cancellationToken)
        => KestrelHost.RunAsync(Build(app, GcpSettings.Read(app.Args, Environment.GetEnvironmentVariable)), null, cancellationToken);

    internal static void AddGcpServices(IServiceCollection services, PortableApp app, GcpSettings settings)
    {
        services.AddPortableApp(app, GcpPlatform.Instance.Name);
        services.TryAddSingleton(settings);
        services.TryAddSingleton(_ => new GoogleApiHttp(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(60) }));
        services.TryAddSingleton(sp => new GoogleAccessTokenSource(sp.GetRequiredService<GoogleApiHttp>().Client, settings, app.TimeProvider));
        services.TryAddSingleton(sp => new GoogleApiClient(sp.GetRequiredService<GoogleApiHttp>().Client, sp.GetRequiredService<GoogleAccessTokenSource>(), settings));
        services.TryAddSingleton<PubSubPublisher>();
        services.TryAddSingleton(typeof(IRepository<>), typeof(FirestoreRepository<>));
        services.TryAddSingleton(typeof(IQueue<>), typeof(PubSubQueue<>));
        services.TryAddSingleton<INotifier, PubSubNotifier>();
        if (app.Catalog.Buckets.Count > 0) services.TryAddSingleton<GcsUrlSigning>();
        foreach (var bucket in app.Catalog.Buckets)
        {
            // Made at the first resolve: a function that takes no bucket pays nothing (no client, no token, no project lookup).
            services.TryAddKeyedSingleton<IBlobStore>(bucket, (sp, _) => new GcsBlobStore(bucket, sp.GetRequiredService<GoogleApiClient>(),
                sp.GetRequiredService<GcsUrlSigning>(), settings, app.TimeProvider, sp.GetService<ILogger<GcsBlobStore>>()));
        }
    }

    /// <summary>
    /// The function this instance serves: the one <c>FUNCTION_TARGET</c> (or <c>--target</c>) names, or, when it is not set, the
    /// app's only function, so that a single-function app deployed without it (<c>gcloud run deploy --source</c>) still starts.
    /// </summary>
    /// <exception cref="PortableConfigurationException">No target is set and the app has several functions (or none), or the target names no function.</exception>
    internal static FunctionDefinition SelectFunction(FunctionCatalog catalog, GcpSettings settings)
    {
        FunctionDefinition function;
        if (settings.Target is not null)
        {
            function = catalog.Get(settings.Target);
        }
        else if (catalog.Functions.Count == 1)
        {
            function = catalog.Functions[0];
        }
        else if (catalog.Functions.Count == 0)
        {
            throw new PortableConfigurationException(
                "This app maps no function, so there is nothing to serve. Map one with builder.Functions.Map...(...) where the app is built.");
        }
        else
        {
            throw new PortableConfigurationException(
                "FUNCTION_TARGET is not set: a Cloud Run function serves one function, and this app has " + catalog.Functions.Count + ". " +
                $"Set FUNCTION_TARGET (or pass --target) to one of: {string.Join(", ", catalog.Functions.Select(f => f.Name))}.");
        }

        FunctionCatalog.Validate(function); // the one function this instance serves: its JSON metadata now, the rest never
        return function;
    }
}
