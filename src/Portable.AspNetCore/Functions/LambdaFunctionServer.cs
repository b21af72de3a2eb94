using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.AspNetCore.Lambda;
using Portable.Aws.Runtime;
using Portable.Hosting;

namespace Portable.AspNetCore.Functions;

/// <summary>
/// The <see cref="IServer"/> of an ASP.NET Core app on a Lambda function whose <c>_HANDLER</c> names one of its Portable
/// functions: no HTTP is served; Portable.Aws's Runtime API loop runs that function on each event (SQS, SNS, EventBridge, S3),
/// with the app's DI container, and the app's <see cref="ITelemetryFlush"/>es flush after each one, before the next event is asked
/// for. A function that cannot be run (its types have no JSON metadata) fails the start and is reported to Lambda as an init
/// error. If the Runtime API fails the app stops with exit code 1, so Lambda starts a new environment.
/// </summary>
internal sealed partial class LambdaFunctionServer(string runtimeApi, string functionName, IServiceProvider services, ILoggerFactory loggers, IHostApplicationLifetime lifetime, LambdaInitErrorReporter initErrors) : IServer
{
    private readonly ILogger _log = loggers.CreateLogger("Portable.AspNetCore.Lambda");
    private readonly LambdaLoopRunner _runner = new(loggers.CreateLogger("Portable.AspNetCore.Lambda"), lifetime, initErrors); // its failure and stop lines, in the same category

    /// <inheritdoc />
    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <inheritdoc />
    /// <remarks>
    /// Resolves the function (a misconfiguration fails the start, naming the fix, and is reported to Lambda as an init error) and
    /// starts the loop once the app has started.
    /// </remarks>
    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        Func<LambdaInvocation, CancellationToken, Task<ReadOnlyMemory<byte>>> handler;
        try
        {
            handler = LambdaFunctionHost.CreateHandler(services, functionName);
        }
        catch (Exception e)
        {
            await initErrors.ReportAsync(e, cancellationToken).ConfigureAwait(false);
            throw;
        }

        _runner.Start(LambdaRuntimeLoop.Create(runtimeApi, handler, loggers.CreateLogger("Portable.Aws.Runtime"), services.GetServices<ITelemetryFlush>()));
        LogStarted(_log, functionName);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _runner.StopAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _runner.Dispose();

    [LoggerMessage(11, LogLevel.Information, "Serving the Portable function {FunctionName} on AWS Lambda (_HANDLER): events from the Runtime API, no HTTP")]
    private static partial void LogStarted(ILogger logger, string functionName);
}
