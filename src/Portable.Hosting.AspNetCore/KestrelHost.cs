using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Portable.Hosting.AspNetCore;

/// <summary>
/// The start and stop of every Kestrel-based host (Local, GCP, Azure): ASP.NET Core's empty builder on the app's own
/// configuration (<see cref="PortableApp.Configuration"/>: appsettings files read once and never watched, environment variables,
/// the command line) and environment; Kestrel and nothing else; one request delegate; options validated before the port is
/// taken; and a graceful stop that drains requests in flight.
/// </summary>
public static partial class KestrelHost
{
    private const string ListenKey = "Portable.Hosting.AspNetCore.Listen";

    /// <summary>
    /// Starts a host builder for <paramref name="app"/> on <paramref name="platform"/>: the app's configuration and environment, logging at
    /// Information with ASP.NET Core's own chatter at Warning, the app's services, then <see cref="HostServices.AddPortableApp"/>,
    /// and Kestrel as the server. The adapter adds its logging provider and services, then calls <see cref="Build"/>.
    /// </summary>
    /// <param name="app">The app.</param>
    /// <param name="platform">The platform name, such as <c>local</c>.</param>
    /// <returns>The builder.</returns>
    public static WebApplicationBuilder CreateBuilder(PortableApp app, string platform)
    {
        ArgumentNullException.ThrowIfNull(app);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            Args = [.. app.Args],
            EnvironmentName = app.Environment.EnvironmentName,
            ContentRootPath = app.Environment.ContentRootPath,
        });
        builder.Configuration.AddConfiguration(app.Configuration, shouldDisposeConfiguration: false); // the app's own, already read: no second read, no watcher
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        foreach (var descriptor in app.Services) builder.Services.Add(descriptor);
        builder.Services.AddPortableApp(app, platform);
        ((IHostApplicationBuilder)builder).Properties[typeof(PortableApp)] = app; // for Build: the app's own registrations
        builder.WebHost.UseKestrelCore();
        return builder;
    }

    /// <summary>How much of a request Kestrel and its socket transport read ahead of the application: 64 KiB.</summary>
    internal const int RequestBufferBytes = 64 * 1024;

    /// <summary>
    /// Builds the host: Kestrel listens on <paramref name="address"/>:<paramref name="port"/> with no body limit of its own (the
    /// adapter enforces its limit and answers 413 through <see cref="KestrelHttp"/>), a 64 KiB request buffer, no <c>Server</c> header, and every request
    /// goes to the one delegate. Without a metrics listener, the metrics subscription the host registered is removed first
    /// (<see cref="HostServices.RemoveIdleMetrics"/>).
    /// </summary>
    /// <param name="builder">The builder from <see cref="CreateBuilder"/>.</param>
    /// <param name="address">The address to listen on: loopback, or any in a container.</param>
    /// <param name="port">The port; 0 for a free one.</param>
    /// <param name="shutdownTimeout">How long a stop waits for requests in flight.</param>
    /// <param name="handler">Makes the request delegate from the built services.</param>
    /// <returns>The host, not started.</returns>
    public static WebApplication Build(WebApplicationBuilder builder, IPAddress address, int port, TimeSpan shutdownTimeout, Func<IServiceProvider, RequestDelegate> handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout);
        builder.Services.AddKeyedSingleton(ListenKey, new IPEndPoint(address, port));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
            // The body is read straight into one array (KestrelHttp): 64 KiB of socket data waiting in Kestrel's pipe is plenty,
            // where its 1 MiB default would add up to a megabyte of pooled blocks to every large request.
            k.Limits.MaxRequestBufferSize = RequestBufferBytes;
            k.Listen(address, port);
        });
        // The socket transport reads ahead by its own limit (1 MiB by default), which MaxRequestBufferSize does not lower: a 2 MB
        // body took about 1 MB of pinned 4 KiB blocks from Kestrel's pool before this (bench/README.md, memory, 2026-11-30 21:00).
        builder.WebHost.UseSockets(o => o.MaxReadBufferSize = RequestBufferBytes);
        if (((IHostApplicationBuilder)builder).Properties.TryGetValue(typeof(PortableApp), out var app))
        {
            HostServices.RemoveIdleMetrics(builder.Services, (PortableApp)app); // every registration is in: no listener can come later
        }

        var web = builder.Build();
        web.Run(handler(web.Services));
        return web;
    }

    /// <summary>
    /// Validates the options registered with <c>ValidateOnStart()</c>, starts the host, calls <paramref name="started"/>, and waits
    /// until it is stopped (SIGTERM, Ctrl+C or the token), draining requests in flight. An invalid option is one critical line
    /// naming it and exit code 1, and nothing is started. A port that is taken (or forbidden) is one error line naming <c>PORT</c> and exit code 1
    /// (<see cref="Environment.ExitCode"/>), not Kestrel's and the host's stack traces: nothing is started then.
    /// </summary>
    /// <param name="web">The host from <see cref="Build"/>.</param>
    /// <param name="started">Called once the host listens, with its services and first address (for a banner).</param>
    /// <param name="cancellationToken">Stops the host.</param>
    /// <returns>A task that completes when the host has stopped.</returns>
    public static async Task RunAsync(WebApplication web, Action<IServiceProvider, string>? started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(web);
        await using (web.ConfigureAwait(false))
        {
            try
            {
                StartupValidation.Validate(web.Services); // ValidateOnStart() options: one line naming the option, not the host's stack traces
            }
            catch (PortableConfigurationException e)
            {
                LogNotStarted(web.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Hosting"), e.Message);
                Environment.ExitCode = 1;
                return;
            }

            var endpoint = web.Services.GetKeyedService<IPEndPoint>(ListenKey);
            if (endpoint is not null && Unusable(endpoint) is { } reason)
            {
                RefusePort(web, endpoint, reason);
                return;
            }

            try
            {
                await web.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) when (endpoint is not null && e.InnerException is AddressInUseException)
            {
                RefusePort(web, endpoint, "is already in use"); // taken between the check above and Kestrel's bind
                return;
            }

            started?.Invoke(web.Services, web.Urls.FirstOrDefault() ?? "?");
            await web.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Why Kestrel could not listen on <paramref name="endpoint"/>, found by binding it first; null when it can (or the port is 0, any free one).</summary>
    private static string? Unusable(IPEndPoint endpoint)
    {
        if (endpoint.Port == 0) return null;
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            return null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return "is already in use";
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            return "may not be used by this user";
        }
    }

    private static void RefusePort(WebApplication web, IPEndPoint endpoint, string reason)
    {
        var setting = web.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"] is null ? "PORT" : "FUNCTIONS_CUSTOMHANDLER_PORT"; // Azure's host picks the port
        LogPortUnusable(web.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Hosting"), endpoint.Port, endpoint.Address.ToString(), reason, setting);
        Environment.ExitCode = 1;
    }

    [LoggerMessage(1, LogLevel.Critical, "Port {Port} on {Address} {Reason}: set {Setting} to a free port (or stop what holds it). Not started.")]
    private static partial void LogPortUnusable(ILogger logger, int port, string address, string reason, string setting);

    [LoggerMessage(2, LogLevel.Critical, "{Reason} Not started.")]
    private static partial void LogNotStarted(ILogger logger, string reason);
}
