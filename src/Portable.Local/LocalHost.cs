using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;
using Portable.Local.Http;
using Portable.Local.Queues;
using Portable.Local.Scheduling;
using Portable.Local.Storage;

namespace Portable.Local;

/// <summary>
/// Builds the local host on ASP.NET Core's empty builder: Kestrel and nothing else. Configuration comes from
/// <c>appsettings.json</c> (read once, never watched), the environment and the command line; nothing watches files, so a
/// start in a crowded folder stays fast.
/// </summary>
internal static partial class LocalHost
{
    public static WebApplication Build(PortableApp app, Action<WebApplicationBuilder>? configureWeb = null, Action<LocalOptions>? configureOptions = null)
    {
        app.Catalog.Validate(); // on a laptop, a missing [JsonSerializable] should stop the start, not the first request
        var builder = FunctionHostBuilder.Create(app);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.IncludeScopes = false;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        var options = LocalOptions.FromConfiguration(builder.Configuration);
        configureOptions?.Invoke(options);
        options.Validate();

        foreach (var descriptor in app.Services) builder.Services.Add(descriptor);
        AddLocalServices(builder.Services, app, options);

        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null; // the handler enforces MaxRequestBodyBytes and answers 413 itself
            k.Listen(System.Net.IPAddress.Loopback, options.Port);
        });
        configureWeb?.Invoke(builder);

        var web = builder.Build();
        var handler = web.Services.GetRequiredService<LocalHttpHandler>();
        web.Run(handler.HandleAsync);
        return web;
    }

    public static async Task RunAsync(PortableApp app, CancellationToken cancellationToken)
    {
        var web = Build(app);
        await using (web.ConfigureAwait(false))
        {
            await web.StartAsync(cancellationToken).ConfigureAwait(false);
            var store = web.Services.GetRequiredService<LocalStore>();
            var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "?";
            PrintBanner(web.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Local"), app, address, store.Location);
            await web.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal static void AddLocalServices(IServiceCollection services, PortableApp app, LocalOptions options)
    {
        services.AddPortableApp(app, "local");
        services.TryAddSingleton(options);
        services.TryAddSingleton<LocalStore>();
        services.TryAddSingleton<LocalQueueStore>();
        services.TryAddSingleton<LocalHttpHandler>();
        services.TryAddSingleton(typeof(IRepository<>), typeof(SqliteRepository<>));
        services.TryAddSingleton(typeof(IQueue<>), typeof(LocalQueue<>));
        services.TryAddSingleton<INotifier, LocalNotifier>();
        services.AddHostedService<QueueDispatcher>();
        services.AddHostedService<LocalScheduler>();
    }

    private static void PrintBanner(ILogger log, PortableApp app, string address, string data)
    {
        LogListening(log, app.Catalog.AppName, address, data);
        foreach (var function in app.Catalog.Functions)
        {
            LogFunction(log, function.Name, function.Trigger.ToString());
        }
    }

    [LoggerMessage(1, LogLevel.Information, "{App} is running locally on {Address} (data: {Data}). Press Ctrl+C to stop.")]
    private static partial void LogListening(ILogger logger, string app, string address, string data);

    [LoggerMessage(2, LogLevel.Information, "  {FunctionName,-20} {Trigger}")]
    private static partial void LogFunction(ILogger logger, string functionName, string trigger);
}
