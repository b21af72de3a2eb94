using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.AspNetCore.Lambda;
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
    private readonly LambdaLoopRunner _runner = new(loggers.CreateLogger("Portable.AspNetCore.Lambda"), lifetime); // its failure and stop lines, in the same category

    /// <inheritdoc />
    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <inheritdoc />
    /// <remarks>Resolves the function (a misconfiguration fails the start, naming the fix) and starts the loop.</remarks>
    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        var handler = LambdaFunctionHost.CreateHandler(services, functionName);
        _runner.Start(LambdaRuntimeLoop.Create(runtimeApi, handler, loggers.CreateLogger("Portable.Aws.Runtime")));
        LogStarted(_log, functionName);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _runner.StopAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _runner.Dispose();

    [LoggerMessage(11, LogLevel.Information, "Serving the Portable function {FunctionName} on AWS Lambda (_HANDLER): events from the Runtime API, no HTTP")]
    private static partial void LogStarted(ILogger logger, string functionName);
}
