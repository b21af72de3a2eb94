using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.Gcp.Auth;
using Portable.Gcp.Firestore;
using Portable.Gcp.Http;
using Portable.Gcp.Logging;
using Portable.Gcp.PubSub;
using Portable.Hosting;

namespace Portable.Gcp;

/// <summary>
/// Builds the Functions Framework host on ASP.NET Core's empty builder: Kestrel and nothing else, no configuration files and
/// no file watching. It listens on <c>PORT</c> (all addresses in a container, loopback otherwise), serves the one function
/// <c>FUNCTION_TARGET</c> names, logs Cloud Logging JSON, and on SIGTERM stops accepting and drains in-flight requests.
/// </summary>
internal static class GcpHost
{
    public static WebApplication Build(PortableApp app, GcpSettings settings, Action<WebApplicationBuilder>? configureWeb = null, TextWriter? logOutput = null)
    {
        var function = SelectFunction(app.Catalog, settings);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [.. app.Args] });
        builder.Logging.AddProvider(new GcpJsonLoggerProvider(logOutput ?? Console.Out, settings.ProjectId));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);

        foreach (var descriptor in app.Services) builder.Services.Add(descriptor);
        AddGcpServices(builder.Services, app, settings);
        builder.Services.TryAddSingleton(sp => new GcpFunctionHandler(
            function, settings.SignatureType, sp.GetRequiredService<FunctionExecutor>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Gcp"), app.TimeProvider));
        builder.Services.TryAddSingleton<GcpHttpEndpoint>();

        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null; // the endpoint enforces the limit and answers 413 itself
            k.Listen(settings.BindAllAddresses ? System.Net.IPAddress.Any : System.Net.IPAddress.Loopback, settings.Port);
        });
        configureWeb?.Invoke(builder);

        var web = builder.Build();
        var endpoint = web.Services.GetRequiredService<GcpHttpEndpoint>();
        web.Run(endpoint.HandleAsync);
        return web;
    }

    public static async Task RunAsync(PortableApp app, CancellationToken cancellationToken)
    {
        var settings = GcpSettings.Read(app.Args, Environment.GetEnvironmentVariable);
        var web = Build(app, settings);
        await using (web.ConfigureAwait(false))
        {
            await web.StartAsync(cancellationToken).ConfigureAwait(false);
            await web.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal static void AddGcpServices(IServiceCollection services, PortableApp app, GcpSettings settings)
    {
        services.AddPortableApp(app, "gcp");
        services.TryAddSingleton(settings);
        services.TryAddSingleton(_ => new GoogleApiHttp(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(60) }));
        services.TryAddSingleton(sp => new GoogleAccessTokenSource(sp.GetRequiredService<GoogleApiHttp>().Client, settings, app.TimeProvider));
        services.TryAddSingleton(sp => new GoogleApiClient(sp.GetRequiredService<GoogleApiHttp>().Client, sp.GetRequiredService<GoogleAccessTokenSource>(), settings));
        services.TryAddSingleton<PubSubPublisher>();
        services.TryAddSingleton(typeof(IRepository<>), typeof(FirestoreRepository<>));
        services.TryAddSingleton(typeof(IQueue<>), typeof(PubSubQueue<>));
        services.TryAddSingleton<INotifier, PubSubNotifier>();
    }

    internal static FunctionDefinition SelectFunction(FunctionCatalog catalog, GcpSettings settings)
    {
        if (settings.Target is null)
        {
            throw new PortableConfigurationException(
                "FUNCTION_TARGET is not set: a Cloud Run function serves one function. " +
                $"Set FUNCTION_TARGET (or pass --target) to one of: {string.Join(", ", catalog.Functions.Select(f => f.Name))}.");
        }

        var function = catalog.Get(settings.Target);
        FunctionCatalog.Validate(function); // the one function this instance serves: its JSON metadata now, the rest never
        return function;
    }
}
