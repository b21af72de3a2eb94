using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Portable.Gcp.Logging;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Gcp.Http;

/// <summary>
/// An ASP.NET Core app with Portable functions on Cloud Run: Kestrel on <c>PORT</c> (all addresses in a container), Cloud
/// Logging JSON lines on stdout in place of the console logger, every request's log lines correlated with its trace
/// (<c>traceparent</c>, else <c>X-Cloud-Trace-Context</c>), and the functions' Pub/Sub pushes, CloudEvents (Eventarc) and Cloud
/// Scheduler calls served at <see cref="FunctionsPath"/><c>{name}</c>, each by the handler a Cloud Run function of that name has.
/// A service whose <c>FUNCTION_TARGET</c> names one of the functions (one service per function from the same image, as Portable's
/// <c>deploy.sh</c> deploys them) gives every request to that function; any other target (the app's own service) serves the app.
/// </summary>
internal static partial class GcpWebApplication
{
    /// <summary>The reserved path under which the functions' deliveries arrive: <c>/_portable/functions/{name}</c>.</summary>
    public const string FunctionsPath = "/_portable/functions/";

    public static void AddTo(WebApplicationBuilder builder, PortableApp app, TextWriter? logOutput = null)
    {
        var settings = GcpSettings.Read(app.Args, name => builder.Configuration[name] ?? Environment.GetEnvironmentVariable(name));
        var console = builder.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList();
        foreach (var descriptor in console) builder.Services.Remove(descriptor); // Cloud Logging reads JSON lines: one line an entry, not the console's text
        builder.Logging.AddProvider(new GcpJsonLoggerProvider(logOutput ?? Console.Out, settings.ProjectId));
        GcpHost.AddGcpServices(builder.Services, app, settings);
        builder.Services.TryAddSingleton(sp => new FunctionRoutes(app.Catalog, settings, sp));
        builder.Services.AddSingleton<IStartupFilter, Middleware>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        var address = settings.BindAllAddresses ? System.Net.IPAddress.Any : System.Net.IPAddress.Loopback;
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, settings.Port));
    }

    /// <summary>The handler of each function, made on its first delivery (its JSON metadata checked then).</summary>
    internal sealed class FunctionRoutes(FunctionCatalog catalog, GcpSettings settings, IServiceProvider services)
    {
        private readonly ConcurrentDictionary<string, GcpFunctionHandler> _handlers = new(StringComparer.Ordinal);

        public GcpSettings Settings => settings;

        public GcpFunctionHandler? Find(string name)
        {
            if (_handlers.TryGetValue(name, out var handler)) return handler;
            var function = catalog.Find(name);
            if (function is null) return null;
            FunctionCatalog.Validate(function);
            return _handlers.GetOrAdd(name, _ => new GcpFunctionHandler(function, null, services.GetRequiredService<FunctionExecutor>(),
                services.GetRequiredService<HttpDispatcher>(), services.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Gcp"),
                services.GetRequiredService<TimeProvider>()));
        }
    }

    /// <summary>First in the app's pipeline: the trace scope of every request, and the functions' deliveries.</summary>
    private sealed partial class Middleware(FunctionRoutes routes, HttpDispatcher dispatcher, ILoggerFactory loggers) : IStartupFilter
    {
        private readonly ILogger _log = loggers.CreateLogger("Portable.Gcp");

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(HandleAsync);
            next(app);
        };

        private async Task HandleAsync(HttpContext context, RequestDelegate next)
        {
            var headers = context.Request.Headers;
            var trace = GcpTrace.FromHeaders(headers["traceparent"], headers["tracestate"], headers["X-Cloud-Trace-Context"]);
            using var scope = _log.BeginScope(new TraceScope(trace)); // the app's own log lines carry the request's trace
            var path = context.Request.Path.Value ?? "/";
            string name;
            if (routes.Settings.Target is { } target && routes.Find(target) is not null)
            {
                name = target; // a service deployed for one function (FUNCTION_TARGET, as deploy.sh does): every request is its delivery
            }
            else if (path.StartsWith(FunctionsPath, StringComparison.Ordinal))
            {
                name = path[FunctionsPath.Length..];
            }
            else
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var handler = routes.Find(name);
            if (handler is null)
            {
                LogUnknownFunction(_log, name);
                await KestrelHttp.WriteAsync(context, HttpResponseData.NotFound($"No Portable function named '{name}' in this app.")).ConfigureAwait(false);
                return;
            }

            var poolBody = handler.Function.Trigger.Kind != TriggerKind.Http;
            await KestrelHttp.ServeAsync(context, "/", dispatcher, routes.Settings.MaxRequestBodyBytes, "Portable:Gcp:MaxRequestBodyBytes",
                (request, token) => handler.HandleAsync(request, poolBody, token), poolBody).ConfigureAwait(false);
        }

        [LoggerMessage(1, LogLevel.Warning, "A delivery for the unknown Portable function '{FunctionName}' was answered 404: is the push subscription or trigger pointed at the right service?")]
        private static partial void LogUnknownFunction(ILogger logger, string functionName);
    }
}
