using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.Aws.Events;
using Portable.Hosting;

namespace Portable.Aws.Runtime;

/// <summary>
/// Starts a Lambda process: builds the services, validates the options registered with <c>ValidateOnStart()</c> and finds the
/// <c>_HANDLER</c> function, posting <c>/runtime/init/error</c>
/// and returning a non-zero exit code when that fails, then runs <see cref="LambdaRuntime"/> with the function's event
/// dispatch as its <see cref="LambdaHandler"/>. Lambda has no generic host, so the app's <see cref="IHostedService"/>s (the
/// OpenTelemetry SDK starts its providers in one) are started here, before the first event is asked for (a failure is an init
/// error), and stopped when the loop ends; the registered <see cref="ITelemetryFlush"/>es run after every invocation.
/// </summary>
internal static partial class LambdaBootstrap
{
    /// <summary>The error type header of an initialization failure.</summary>
    public const string InitError = "Runtime.InitError";

    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(PortableApp app, Func<string, string?> environment, TextWriter logOutput, CancellationToken cancellationToken, Action<IServiceCollection>? configure = null)
    {
        var api = environment("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrWhiteSpace(api))
        {
            throw new PortableConfigurationException("AWS_LAMBDA_RUNTIME_API is not set: the AWS adapter runs inside Lambda (or a Runtime API emulator). Use --platform local to run on this machine.");
        }

        using var client = LambdaRuntimeClient.Create(api);
        return await RunAsync(app, client, environment, logOutput, cancellationToken, configure).ConfigureAwait(false);
    }

    /// <summary>Starts the app against a given Runtime API client.</summary>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(PortableApp app, ILambdaRuntimeClient client, Func<string, string?> environment, TextWriter logOutput, CancellationToken cancellationToken, Action<IServiceCollection>? configure = null)
    {
        ServiceProvider? services = null;
        LambdaRuntime runtime;
        IHostedService[] hosted = [];
        try
        {
            services = AwsHost.BuildServices(app, logOutput, environment, configure);
            StartupValidation.Validate(services); // options registered with ValidateOnStart(): a bad setting is an init error, not the first invocation's
            var function = AwsHost.ResolveHandler(app.Catalog, environment("_HANDLER"));
            var dispatcher = services.GetRequiredService<AwsEventDispatcher>();
            var flushes = services.GetServices<ITelemetryFlush>().ToArray();
            runtime = new LambdaRuntime(client, async (invocation, token) => await dispatcher.DispatchAsync(function, invocation, token).ConfigureAwait(false), services.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Aws.Runtime"),
                flushes, app.TimeProvider);
            hosted = services.GetServices<IHostedService>().ToArray();
            await StartAsync(hosted, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any start-up failure is reported to Lambda as an init error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await logOutput.WriteLineAsync(Logging.JsonLineLogger.Format(DateTimeOffset.UtcNow, LogLevel.Critical, "Portable.Aws.Runtime", "The app could not start: " + e.Message, null,
                e is PortableConfigurationException ? null : e)).ConfigureAwait(false); // a misconfiguration names its fix: no stack trace in the log line
            await client.PostInitErrorAsync(ErrorPayload.From(e), InitError, cancellationToken).ConfigureAwait(false);
            if (services is not null) await services.DisposeAsync().ConfigureAwait(false);
            return 1;
        }

        await using (services.ConfigureAwait(false))
        {
            try
            {
                await runtime.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await StopAsync(hosted, services.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Aws.Runtime")).ConfigureAwait(false);
            }
        }

        return 0;
    }

    /// <summary>How long the hosted services have to stop when the loop ends (Lambda gives an extension-less runtime little time at shutdown).</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Starts the hosted services in registration order, as the generic host does (the lifecycle steps included).</summary>
    private static async Task StartAsync(IHostedService[] hosted, CancellationToken cancellationToken)
    {
        foreach (var service in hosted)
        {
            if (service is IHostedLifecycleService lifecycle) await lifecycle.StartingAsync(cancellationToken).ConfigureAwait(false);
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
            if (service is IHostedLifecycleService started) await started.StartedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the hosted services in reverse order within <see cref="StopTimeout"/>; a failure is logged and the others still stop.</summary>
    private static async Task StopAsync(IHostedService[] hosted, ILogger log)
    {
        using var timeout = new CancellationTokenSource(StopTimeout);
        for (var i = hosted.Length - 1; i >= 0; i--)
        {
            try
            {
                if (hosted[i] is IHostedLifecycleService stopping) await stopping.StoppingAsync(timeout.Token).ConfigureAwait(false);
                await hosted[i].StopAsync(timeout.Token).ConfigureAwait(false);
                if (hosted[i] is IHostedLifecycleService stopped) await stopped.StoppedAsync(timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Shutting down: one service's failure must not keep the others running.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogStopFailed(log, e, hosted[i].GetType().Name);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "The hosted service {Service} did not stop cleanly")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string service);
}
