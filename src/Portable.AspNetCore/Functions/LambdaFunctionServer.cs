using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.Aws.Runtime;

namespace Portable.AspNetCore.Functions;

/// <summary>
/// The <see cref="IServer"/> of an ASP.NET Core app on a Lambda function whose <c>_HANDLER</c> names one of its Portable
/// functions: no HTTP is served; Portable.Aws's Runtime API loop runs that function on each event (SQS, SNS, EventBridge, S3),
/// with the app's DI container. If the Runtime API fails the app stops with exit code 1, so Lambda starts a new environment.
/// </summary>
internal sealed partial class LambdaFunctionServer(string runtimeApi, string functionName, IServiceProvider services, ILoggerFactory loggers, IHostApplicationLifetime lifetime) : IServer
{
    private readonly ILogger _log = loggers.CreateLogger("Portable.AspNetCore.Lambda");
    private readonly CancellationTokenSource _stopping = new();
    private LambdaRuntimeLoop? _runtime;
    private Task _loop = Task.CompletedTask;

    /// <inheritdoc />
    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <inheritdoc />
    /// <remarks>Resolves the function (a misconfiguration fails the start, naming the fix) and starts the loop.</remarks>
    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        var handler = LambdaFunctionHost.CreateHandler(services, functionName);
        var runtime = _runtime = LambdaRuntimeLoop.Create(runtimeApi, handler, loggers.CreateLogger("Portable.Aws.Runtime"));
        _loop = Task.Run(() => RunAsync(runtime), CancellationToken.None);
        LogStarted(_log, functionName);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopTimedOut(_log);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _runtime?.Dispose();
    }

    private async Task RunAsync(LambdaRuntimeLoop runtime)
    {
        try
        {
            await runtime.RunAsync(_stopping.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The Runtime API failed: the app stops (exit code 1) and Lambda starts a new environment.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogRuntimeApiFailed(_log, e);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(11, LogLevel.Information, "Serving the Portable function {FunctionName} on AWS Lambda (_HANDLER): events from the Runtime API, no HTTP")]
    private static partial void LogStarted(ILogger logger, string functionName);

    [LoggerMessage(12, LogLevel.Critical, "The Lambda Runtime API failed; stopping the app so that Lambda starts a new environment")]
    private static partial void LogRuntimeApiFailed(ILogger logger, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "The Lambda loop did not stop within the host's shutdown timeout")]
    private static partial void LogStopTimedOut(ILogger logger);
}
