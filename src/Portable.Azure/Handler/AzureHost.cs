using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.Azure.Bindings;
using Portable.Azure.Data;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Azure.Handler;

/// <summary>
/// Builds the custom handler on ASP.NET Core's empty builder: Kestrel on 127.0.0.1:<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> and
/// nothing else. Configuration comes from the environment (the Function app's settings), <c>appsettings.json</c> (read once,
/// never watched) and the command line. Logs go to stdout, which the Functions host collects.
/// </summary>
internal static partial class AzureHost
{
    public static WebApplication Build(PortableApp app, Action<WebApplicationBuilder>? configureWeb = null, Action<AzureOptions>? configureOptions = null)
    {
        var builder = FunctionHostBuilder.Create(app);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = true;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Azure", LogLevel.Warning);

        configureWeb?.Invoke(builder); // before the options are read, so a test's settings count; its services win over the TryAdds below
        var options = AzureOptions.FromConfiguration(builder.Configuration);
        configureOptions?.Invoke(options);
        options.Validate();

        foreach (var descriptor in app.Services) builder.Services.Add(descriptor);
        AddAzureServices(builder.Services, app, options);

        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null; // the endpoint enforces MaxRequestBodyBytes and answers 413 itself
            k.Listen(System.Net.IPAddress.Loopback, options.Port);
        });

        var web = builder.Build();
        var endpoint = web.Services.GetRequiredService<CustomHandlerEndpoint>();
        web.Run(endpoint.HandleAsync);
        return web;
    }

    public static async Task RunAsync(PortableApp app, CancellationToken cancellationToken)
    {
        var web = Build(app);
        await using (web.ConfigureAwait(false))
        {
            await web.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "?";
            LogListening(web.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Azure"), app.Catalog.AppName, address, app.Catalog.Functions.Count);
            await web.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The adapter's services: the executor, the handler, and Table Storage, Storage Queue and Event Grid ports.</summary>
    internal static void AddAzureServices(IServiceCollection services, PortableApp app, AzureOptions options)
    {
        services.AddPortableApp(app, "azure");
        services.TryAddSingleton(options);
        services.TryAddSingleton<AzureHttp>();
        services.TryAddSingleton(sp => new AzureStorageClients(sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>(), options, sp.GetRequiredService<AzureHttp>().Client));
        services.TryAddSingleton<IPoisonQueue, StoragePoisonQueue>();
        services.TryAddSingleton(sp => new CustomHandlerInvoker(
            sp.GetRequiredService<FunctionCatalog>(), sp.GetRequiredService<FunctionExecutor>(), options, app.TimeProvider,
            sp.GetRequiredService<ILogger<CustomHandlerInvoker>>(), sp.GetService<IPoisonQueue>()));
        services.TryAddSingleton<CustomHandlerEndpoint>();
        services.TryAddSingleton(typeof(IRepository<>), typeof(TableRepository<>));
        services.TryAddSingleton(typeof(IQueue<>), typeof(StorageQueue<>));
        services.TryAddSingleton<INotifier>(sp => new EventGridNotifier(
            sp.GetRequiredService<FunctionCatalog>(), options, sp.GetRequiredService<AzureHttp>().Client, sp.GetRequiredService<ILogger<EventGridNotifier>>()));
    }

    [LoggerMessage(1, LogLevel.Information, "{App} custom handler is listening on {Address} ({Count} functions)")]
    private static partial void LogListening(ILogger logger, string app, string address, int count);
}
