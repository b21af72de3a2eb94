using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable;
using Portable.AspNetCore;
using Portable.AspNetCore.Functions;
using Portable.AspNetCore.Lambda;
using Portable.Aws.Runtime;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Microsoft.AspNetCore.Builder; // by convention: appears on WebApplicationBuilder without a using

/// <summary>Runs an existing ASP.NET Core app with Portable.</summary>
public static class PortableWebApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the app wherever it runs, with the app unchanged: on AWS Lambda (<c>AWS_LAMBDA_RUNTIME_API</c> set) through the
    /// Lambda Runtime API, elsewhere on Kestrel as usual.
    /// </summary>
    /// <remarks>
    /// On Lambda this replaces the <see cref="IServer"/> (Kestrel) with one that takes each invocation from the Runtime API
    /// (API Gateway REST and HTTP API, ALB and function URL events), runs it through the app's pipeline as an
    /// <c>HttpContext</c> with its own DI scope, and posts the response in the shape the event's source expects. An event that
    /// is not an HTTP request is answered <c>Runtime.InvalidEvent</c> and the next one is served. The invocation is reachable
    /// from the request as <see cref="Portable.AspNetCore.ILambdaInvocationFeature"/>. Responses are buffered unless the
    /// configuration key <c>Portable:Lambda:ResponseStreaming</c> is <c>true</c>: function URL responses are then streamed as they
    /// are written (set the function URL's <c>InvokeMode</c> to <c>RESPONSE_STREAM</c>); <c>FunctionUrlAndRestApi</c> streams
    /// REST API responses too (integrations with <c>responseTransferMode: STREAM</c>). The app's <see cref="ITelemetryFlush"/>es
    /// (an exporter's) flush after each invocation, before Lambda freezes the process. A failure while the app starts (an
    /// exception that escapes <c>Main</c> before the first event is asked for) is posted to <c>/runtime/init/error</c>, so Lambda
    /// records it as <c>Runtime.InitError</c> with its type and message. Elsewhere nothing is added. Calling it twice is harmless.
    /// </remarks>
    /// <param name="builder">The app's builder, from <c>WebApplication.CreateBuilder</c> or <c>CreateSlimBuilder</c>.</param>
    /// <returns>The builder, so that further calls can be chained.</returns>
    public static WebApplicationBuilder AddPortable(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var runtimeApi = builder.Configuration[LambdaServer.RuntimeApiVariable] ?? Environment.GetEnvironmentVariable(LambdaServer.RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(runtimeApi)) return builder; // not on Lambda: Kestrel, as the app was written

        var initErrors = LambdaInitErrorReporter.Attach(builder.Services, runtimeApi);
        builder.Services.RemoveAll<IServer>();
        builder.Services.AddSingleton<IServer>(services => new LambdaServer(
            runtimeApi,
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<IHostApplicationLifetime>(),
            LambdaResponseStreamingSetting.Read(services.GetRequiredService<IConfiguration>()),
            services.GetServices<ITelemetryFlush>(),
            initErrors));
        return builder;
    }

    /// <summary>
    /// Serves the app wherever it runs, as <see cref="AddPortable(WebApplicationBuilder)"/> does, and runs Portable functions
    /// (queue, topic, schedule, event) beside its endpoints, in the app's own DI container: an endpoint that takes
    /// <see cref="IQueue{T}"/> feeds a queue function.
    /// </summary>
    /// <remarks>
    /// Where the functions run is chosen as for a Portable app (<c>--platform</c>, <c>PORTABLE_PLATFORM</c>, else the environment):
    /// <list type="bullet">
    /// <item>AWS Lambda (<c>AWS_LAMBDA_RUNTIME_API</c>): the AWS ports are added; when <c>_HANDLER</c> names one of the
    /// functions, that Lambda function runs it on each event (SQS, SNS, EventBridge, S3) and serves no HTTP; when it is
    /// <c>web</c> (the app's HTTP function in the deployment files) or not set, the app's HTTP is served through the Lambda server;
    /// any other <c>_HANDLER</c> fails the start, naming the choices. A start failure is posted to <c>/runtime/init/error</c>, and
    /// the app's <see cref="ITelemetryFlush"/>es flush after each invocation, in both modes.</item>
    /// <item>Elsewhere, the adapter the build carries (<c>PortableTarget</c>) adds itself through
    /// <see cref="IWebApplicationPlatform"/>: locally, durable queues, the store and the schedules run as hosted services; on
    /// Google Cloud and Azure, the platform's event deliveries reach the functions beside the app's routes.</item>
    /// </list>
    /// </remarks>
    /// <param name="builder">The app's builder, from <c>WebApplication.CreateBuilder</c> or <c>CreateSlimBuilder</c>.</param>
    /// <param name="configure">Maps the functions and declares the resources.</param>
    /// <returns>The builder, so that further calls can be chained.</returns>
    /// <exception cref="PortableConfigurationException">
    /// The app maps an HTTP function (HTTP is the app's own), the build carries no adapter for where it runs, the functions are
    /// wired wrongly, or on Lambda <c>_HANDLER</c> names neither <c>web</c> nor one of the functions; the message names the fix.
    /// </exception>
    public static WebApplicationBuilder AddPortable(this WebApplicationBuilder builder, Action<PortableWebBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddPortable(builder, configure, Environment.GetCommandLineArgs().Skip(1).ToArray(), null);
    }

    /// <summary>The work of <see cref="AddPortable(WebApplicationBuilder, Action{PortableWebBuilder})"/>, with the arguments and the platform given (tests).</summary>
    /// <param name="builder">The app's builder.</param>
    /// <param name="configure">Maps the functions.</param>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="platform">The platform to use; null to choose it from the registered adapters, as a Portable app does.</param>
    /// <returns>The builder.</returns>
    internal static WebApplicationBuilder AddPortable(WebApplicationBuilder builder, Action<PortableWebBuilder> configure, string[] args, IPortablePlatform? platform)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(PortableApp)))
        {
            throw new PortableConfigurationException("builder.AddPortable(portable => ...) was called twice: map every function in one call.");
        }

        string? Read(string name) => builder.Configuration[name] ?? Environment.GetEnvironmentVariable(name);
        var describing = args.Contains("--write-deployment", StringComparer.Ordinal) || args.Contains("--describe", StringComparer.Ordinal);
        var runtimeApi = describing ? null : Read(LambdaRuntimeLoop.RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(runtimeApi)) return AddPortableCore(builder, configure, args, platform, describing, Read, null, null);

        // On Lambda, a failure from here on is the app's start failure: posted to /runtime/init/error before it is thrown.
        var initErrors = LambdaInitErrorReporter.Attach(builder.Services, runtimeApi);
        try
        {
            return AddPortableCore(builder, configure, args, platform, describing, Read, runtimeApi, initErrors);
        }
        catch (Exception e)
        {
            initErrors.Report(e);
            throw;
        }
    }

    /// <summary>Maps the functions and chooses the server; <paramref name="runtimeApi"/> and <paramref name="initErrors"/> are set on Lambda.</summary>
    private static WebApplicationBuilder AddPortableCore(WebApplicationBuilder builder, Action<PortableWebBuilder> configure, string[] args, IPortablePlatform? platform, bool describing,
        Func<string, string?> read, string? runtimeApi, LambdaInitErrorReporter? initErrors)
    {
        var portable = new PortableWebBuilder(PortableApp.CreateBuilder(args));
        configure(portable);
        if (describing)
        {
            // The deployment files describe the app's HTTP as one catch-all function beside the Portable functions.
            portable.Functions.MapHttp<WebAppFunction>(WebAppFunction.Route, WebAppFunction.Name);
            if (portable.Anonymous) portable.Functions.AllowAnonymous();
        }

        var app = portable.Build();
        var http = app.Catalog.Functions.FirstOrDefault(f => f.Trigger.Kind == TriggerKind.Http && !(describing && f.Name == WebAppFunction.Name));
        if (http is not null)
        {
            throw new PortableConfigurationException(
                $"The function '{http.Name}' is an HTTP function; in an ASP.NET Core app HTTP is the app's own. Map the route as an endpoint " +
                $"(app.MapMethods(\"{http.Trigger.Route}\", ...)) and keep queue, topic, schedule and event functions in AddPortable.");
        }

        foreach (var descriptor in app.Services) builder.Services.Add(descriptor); // the functions, in the app's own container
        if (describing)
        {
            // The app is built but serves nothing; the AWS ports (made on first use, so never here) let an endpoint's IQueue<T>
            // parameter be seen as a service when the request delegates are built, as on every platform at run time.
            builder.Services.AddLambdaFunctions(app, read);
            builder.Services.RemoveAll<IServer>();
            builder.Services.AddSingleton<IServer>(services => new DeploymentServer(app, services.GetRequiredService<IHostApplicationLifetime>()));
            return builder;
        }

        if (runtimeApi is not null && initErrors is not null)
        {
            builder.Services.AddLambdaFunctions(app, read);
            var handler = read("_HANDLER")?.Trim();
            if (!string.IsNullOrEmpty(handler) && app.Catalog.Find(handler) is not null)
            {
                builder.Services.RemoveAll<IServer>();
                builder.Services.AddSingleton<IServer>(services => new LambdaFunctionServer(runtimeApi, handler, services,
                    services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<IHostApplicationLifetime>(), initErrors));
                return builder;
            }

            if (!string.IsNullOrEmpty(handler) && !string.Equals(handler, WebAppFunction.Name, StringComparison.Ordinal))
            {
                // A typo in a function's Handler would otherwise serve HTTP to its SQS events, failing every message.
                throw new PortableConfigurationException(
                    $"_HANDLER is '{handler}', which names no function of this app. Set the Lambda function's Handler to '{WebAppFunction.Name}' to serve the app's HTTP" +
                    (app.Catalog.Functions.Count == 0 ? "." : $", or to one of its functions: {string.Join(", ", app.Catalog.Functions.Select(f => f.Name))}."));
            }

            return builder.AddPortable(); // _HANDLER web (or none): the app's HTTP, through the Lambda server
        }

        platform ??= PortablePlatforms.Select(args, read);
        if (platform is not IWebApplicationPlatform web)
        {
            throw new PortableConfigurationException(
                $"The '{platform.Name}' adapter cannot host Portable functions in an ASP.NET Core app here. Build with -p:PortableTarget=local, gcp or azure, " +
                "or run on AWS Lambda (AWS_LAMBDA_RUNTIME_API).");
        }

        web.AddTo(builder, app);
        return builder;
    }
}
