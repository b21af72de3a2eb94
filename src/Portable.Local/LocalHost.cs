using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Portable.Blobs;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;
using Portable.Local.Cost;
using Portable.Local.Dashboard;
using Portable.Local.Blobs;
using Portable.Local.Http;
using Portable.Local.Logging;
using Portable.Local.Queues;
using Portable.Local.Scheduling;
using Portable.Local.Storage;

namespace Portable.Local;

/// <summary>
/// Builds the local host on ASP.NET Core's empty builder: Kestrel and nothing else. Configuration comes from
/// <c>appsettings.json</c> (read once, never watched), the environment and the command line; nothing watches files, so a
/// start in a crowded folder stays fast. <see cref="Build"/> is public for test hosts and tools that run an app in memory
/// (Portable.Testing swaps Kestrel for a test server); <c>LocalPlatform</c> runs it.
/// </summary>
public static partial class LocalHost
{
    /// <summary>Builds, without starting, the local host of <paramref name="app"/>.</summary>
    /// <param name="app">The app, as built by <see cref="PortableAppBuilder.Build"/>; its catalog is validated first.</param>
    /// <param name="configureWeb">
    /// Changes to the web application builder, applied before the local options are read and before the local services are
    /// added, so its configuration counts and its service registrations win (such as a test server, log providers, or an
    /// <see cref="INotificationObserver"/>).
    /// </param>
    /// <param name="configureOptions">Changes to the local options after they are bound from configuration; they are validated next.</param>
    /// <returns>The web application; start it, and dispose it when done.</returns>
    /// <remarks>
    /// Adds the local services: <see cref="LocalOptions"/>, the SQLite store (a file under <see cref="LocalOptions.DataDirectory"/>,
    /// or memory when <see cref="LocalOptions.InMemory"/>), <see cref="IRepository{T}"/> on SQLite, <see cref="IQueue{T}"/> on durable
    /// local queues, <see cref="INotifier"/> fanning out to topic subscriptions (calling every registered
    /// <see cref="INotificationObserver"/>), <see cref="LocalQueues"/> for inspection and redrive, the HTTP routes with
    /// <c>/_portable/</c>, one <see cref="IBlobStore"/> per declared bucket (keyed by its name; files under the data folder, signed URLs
    /// served by this host), and hosted services that dispatch the queues and run the cron schedules, and that save the durations and payload sizes measured for the cost projection (<c>usage.json</c> in the data folder). The console prints one line per
    /// entry and one Information line per invocation; a line written inside an invocation ends with its trace and span id.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="app"/> is null.</exception>
    public static WebApplication Build(PortableApp app, Action<WebApplicationBuilder>? configureWeb = null, Action<LocalOptions>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Catalog.Validate(); // on a laptop, a missing [JsonSerializable] should stop the start, not the first request
        var builder = KestrelHost.CreateBuilder(app, LocalPlatform.Instance.Name);
        // One line per entry; inside an invocation it ends with the trace and span id of the invocation's span.
        builder.Logging.AddConsole(o => o.FormatterName = LocalConsoleFormatter.FormatterName);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, LocalConsoleFormatter>());
        configureWeb?.Invoke(builder); // before the options are read, so a test's settings count; its services win over the TryAdds below

        var options = LocalOptions.FromConfiguration(builder.Configuration);
        configureOptions?.Invoke(options);
        options.Validate();
        AddLocalServices(builder.Services, options, app.Catalog);
        return KestrelHost.Build(builder, System.Net.IPAddress.Loopback, options.Port, TimeSpan.FromSeconds(30),
            services => services.GetRequiredService<LocalHttpHandler>().HandleAsync);
    }

    internal static Task RunAsync(PortableApp app, CancellationToken cancellationToken)
        => KestrelHost.RunAsync(Build(app), (services, address) =>
            PrintBanner(services.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Local"), app, address, services.GetRequiredService<LocalStore>().Location,
                services.GetRequiredService<LocalOptions>().Dashboard),
            cancellationToken);

    internal static void AddLocalServices(IServiceCollection services, LocalOptions options, FunctionCatalog catalog)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton<LocalStore>();
        services.TryAddSingleton<LocalQueueStore>();
        services.TryAddSingleton(sp => new LocalQueues(sp.GetRequiredService<LocalQueueStore>()));
        services.TryAddSingleton<LocalHttpHandler>();
        services.TryAddSingleton<InvocationRecorder>();
        services.TryAddSingleton<DashboardApi>();
        if (options.Dashboard) services.AddHostedService(sp => sp.GetRequiredService<InvocationRecorder>()); // the listener: before any invocation
        services.TryAddSingleton<LocalBlobStorage>();
        services.TryAddSingleton<LocalBlobEndpoint>();
        foreach (var bucket in catalog.Buckets)
        {
            services.TryAddKeyedSingleton<IBlobStore>(bucket, (sp, _) => new LocalBlobStore(bucket, sp.GetRequiredService<LocalBlobStorage>()));
        }

        // One line per invocation at Information (function, trigger, duration, invocation and trace id): the flow, without an exporter.
        services.Replace(ServiceDescriptor.Singleton(sp => new FunctionExecutor(LocalPlatform.Instance.Name, sp, sp.GetRequiredService<TimeProvider>()) { CompletionLogLevel = LogLevel.Information }));
        services.Replace(ServiceDescriptor.Singleton(sp => new HttpDispatcher(sp.GetRequiredService<FunctionCatalog>(), sp.GetRequiredService<FunctionExecutor>(),
            sp.GetRequiredService<ILogger<HttpDispatcher>>()) { NotFoundHint = "GET /_portable/functions lists the routes." }));
        services.TryAddSingleton(typeof(IRepository<>), typeof(SqliteRepository<>));
        services.TryAddSingleton(typeof(IQueue<>), typeof(LocalQueue<>));
        services.TryAddSingleton<INotifier, LocalNotifier>();
        // Measures durations and payloads for the cost projection; saved before the dispatcher is stopped, it stops after it.
        services.TryAddSingleton<UsageRecorder>();
        services.TryAddSingleton<CostEndpoint>();
        services.AddHostedService<UsagePersister>();
        services.AddHostedService<QueueDispatcher>();
        services.AddHostedService<LocalScheduler>();
    }

    private static void PrintBanner(ILogger log, PortableApp app, string address, string data, bool dashboard)
    {
        LogListening(log, app.Catalog.AppName, address, data);
        if (dashboard) LogDashboard(log, address.TrimEnd('/') + "/_portable/");
        foreach (var function in app.Catalog.Functions)
        {
            LogFunction(log, function.Name, function.Trigger.ToString());
        }
    }

    [LoggerMessage(1, LogLevel.Information, "{App} is running locally on {Address} (data: {Data}). Press Ctrl+C to stop.")]
    private static partial void LogListening(ILogger logger, string app, string address, string data);

    [LoggerMessage(3, LogLevel.Information, "Dashboard: {Url}")]
    private static partial void LogDashboard(ILogger logger, string url);

    [LoggerMessage(2, LogLevel.Information, "  {FunctionName,-20} {Trigger}")]
    private static partial void LogFunction(ILogger logger, string functionName, string trigger);
}
