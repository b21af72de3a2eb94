using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Aws.Events;
using Portable.Hosting;

namespace Portable.Aws.Runtime;

/// <summary>
/// Starts a Lambda process: builds the services, validates the options registered with <c>ValidateOnStart()</c> and finds the
/// <c>_HANDLER</c> function, posting <c>/runtime/init/error</c>
/// and returning a non-zero exit code when that fails, then runs <see cref="LambdaRuntime"/> with the function's event
/// dispatch as its <see cref="LambdaHandler"/>.
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
        try
        {
            services = AwsHost.BuildServices(app, logOutput, environment, configure);
            StartupValidation.Validate(services); // options registered with ValidateOnStart(): a bad setting is an init error, not the first invocation's
            var function = AwsHost.ResolveHandler(app.Catalog, environment("_HANDLER"));
            var dispatcher = services.GetRequiredService<AwsEventDispatcher>();
            runtime = new LambdaRuntime(client, async (invocation, token) => await dispatcher.DispatchAsync(function, invocation, token).ConfigureAwait(false), services.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Aws.Runtime"));
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
            await runtime.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }
}
