using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Portable.Azure.Bindings;
using Portable.Azure.Data;
using Portable.Blobs;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Azure.Handler;

/// <summary>
/// Builds the custom handler on ASP.NET Core's empty builder: Kestrel on 127.0.0.1:<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> and
/// nothing else. Configuration comes from the environment (the Function app's settings), <c>appsettings.json</c> (read once,
/// never watched) and the command line. Logs go to stdout, which the Functions host collects, one line an entry with the invocation's
/// ids (<see cref="AzureConsoleFormatter"/>).
/// </summary>
internal static partial class AzureHost
{
    public static WebApplication Build(PortableApp app, Action<WebApplicationBuilder>? configureWeb = null, Action<AzureOptions>? configureOptions = null)
    {
        var builder = KestrelHost.CreateBuilder(app, AzurePlatform.Instance.Name);
        // One line an entry on stdout, with the invocation's id, trace id and span id (AzureConsoleFormatter).
        builder.Logging.AddConsole(o => o.FormatterName = AzureConsoleFormatter.FormatterName);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Logging.Console.ConsoleFormatter, AzureConsoleFormatter>());
        builder.Logging.AddFilter("Azure", LogLevel.Warning);
        configureWeb?.Invoke(builder); // before the options are read, so a test's settings count; its services win over the TryAdds below

        var options = AzureOptions.FromConfiguration(builder.Configuration);
        configureOptions?.Invoke(options);
        options.Validate();
        AddAzureServices(builder.Services, app, options);
        return KestrelHost.Build(builder, System.Net.IPAddress.Loopback, options.Port, TimeSpan.FromSeconds(30),
            services => services.GetRequiredService<CustomHandlerEndpoint>().HandleAsync);
    }

    public static Task RunAsync(PortableApp app, CancellationToken cancellationToken)
        => KestrelHost.RunAsync(Build(app), (services, address) =>
            LogListening(services.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Azure"), app.Catalog.AppName, address, app.Catalog.Functions.Count),
            cancellationToken);

    /// <summary>The adapter's services: the executor, the handler, and Table Storage, Storage Queue, Blob Storage and Event Grid ports.</summary>
    internal static void AddAzureServices(IServiceCollection services, PortableApp app, AzureOptions options)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton<AzureHttp>();
        services.TryAddSingleton(sp => new AzureStorageClients(sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>(), options, sp.GetRequiredService<AzureHttp>().Client));
        services.TryAddSingleton<IPoisonQueue, StoragePoisonQueue>();
        services.TryAddSingleton(sp => new CustomHandlerInvoker(
            sp.GetRequiredService<FunctionCatalog>(), sp.GetRequiredService<FunctionExecutor>(), sp.GetRequiredService<HttpDispatcher>(), options, app.TimeProvider,
            sp.GetRequiredService<ILogger<CustomHandlerInvoker>>(), sp.GetService<IPoisonQueue>()));
        services.TryAddSingleton<CustomHandlerEndpoint>();
        services.TryAddSingleton(typeof(IRepository<>), typeof(TableRepository<>));
        services.TryAddSingleton(typeof(IQueue<>), typeof(StorageQueue<>));
        foreach (var bucket in app.Catalog.Buckets)
        {
            // One store per declared bucket, keyed by its name; nothing touches Blob Storage until the function uses it.
            services.TryAddKeyedSingleton<IBlobStore>(bucket, (sp, key) => new AzureBlobStore((string)key!, sp.GetRequiredService<AzureStorageClients>(), app.TimeProvider));
        }

        services.TryAddSingleton<INotifier>(sp => new EventGridNotifier(
            sp.GetRequiredService<FunctionCatalog>(), options, sp.GetRequiredService<AzureHttp>().Client, sp.GetRequiredService<ILogger<EventGridNotifier>>()));
    }

    [LoggerMessage(1, LogLevel.Information, "{App} custom handler is listening on {Address} ({Count} functions)")]
    private static partial void LogListening(ILogger logger, string app, string address, int count);
}
