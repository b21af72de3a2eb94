using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.Aws.Runtime;
using Portable.Hosting;

namespace Portable.AspNetCore.Lambda;

/// <summary>
/// The <see cref="IServer"/> of an ASP.NET Core app on AWS Lambda: Portable.Aws's Runtime API loop (<see cref="LambdaRuntimeLoop"/>:
/// GET next, POST response or error, keep polling) with a handler that feeds each HTTP event to the app's pipeline
/// (<see cref="IHttpApplication{TContext}"/>) and writes the response in the shape of the event's source. An event that is
/// not an HTTP request is answered <c>Runtime.InvalidEvent</c>; an exception that escapes the pipeline is logged and answered
/// 500 with no body, as Kestrel does; either way the loop goes on. If the Runtime API itself fails the app is stopped with
/// exit code 1, so Lambda starts a new environment. After each invocation is answered and before the next event is asked for,
/// the app's <see cref="ITelemetryFlush"/>es send what they hold (Lambda freezes the process at <c>/next</c>). The loop starts
/// once the app has started; a failure before is reported to Lambda as an init error (<see cref="LambdaInitErrorReporter"/>).
/// </summary>
/// <remarks>
/// With response streaming on (<see cref="LambdaResponseStreaming"/>, the configuration key <c>Portable:Lambda:ResponseStreaming</c>)
/// the responses to function URL events (and, if asked, REST API events) are streamed in the Runtime API's streaming mode:
/// the prelude (status, headers, cookies) leaves when the response starts (its first write or flush, or the end of the
/// pipeline), each body write at once. An exception before the response started is answered 500 as when buffered; after it
/// started, the stream is ended with the error trailers (the caller's response is cut short, Lambda records the error).
/// HTTP API and ALB events are always answered buffered.
/// </remarks>
internal sealed partial class LambdaServer : IServer
{
    /// <summary>The environment variable Lambda sets to the Runtime API's <c>host:port</c>.</summary>
    public const string RuntimeApiVariable = LambdaRuntimeLoop.RuntimeApiVariable;

    private readonly string _runtimeApi;
    private readonly ILogger _log;
    private readonly ILogger _runtimeLog;
    private readonly LambdaLoopRunner _runner;
    private readonly LambdaResponseStreaming _streaming;
    private readonly ITelemetryFlush[] _flushes;

    public LambdaServer(string runtimeApi, ILoggerFactory loggers, IHostApplicationLifetime lifetime, LambdaResponseStreaming streaming = LambdaResponseStreaming.Off,
        IEnumerable<ITelemetryFlush>? flushes = null, LambdaInitErrorReporter? initErrors = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(lifetime);
        _runtimeApi = runtimeApi;
        _log = loggers.CreateLogger("Portable.AspNetCore.Lambda");
        _runtimeLog = loggers.CreateLogger("Portable.Aws.Runtime");
        _runner = new LambdaLoopRunner(_log, lifetime, initErrors);
        _streaming = streaming;
        _flushes = [.. flushes ?? []];
    }

    /// <inheritdoc />
    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <inheritdoc />
    /// <remarks>Starts the loop and returns: the first event is asked for once the app has started.</remarks>
    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        ArgumentNullException.ThrowIfNull(application);
        _runner.Start(LambdaRuntimeLoop.Create(_runtimeApi, (invocation, token) => InvokeAsync(application, invocation, token), _runtimeLog, _flushes));
        LogStarted(_log, _streaming);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _runner.StopAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _runner.Dispose();

    /// <summary>Runs one invocation through the app's pipeline.</summary>
    /// <returns>The response JSON, in the shape of the event's source.</returns>
    /// <exception cref="InvalidInputException">The event is not an HTTP request or cannot be read (the loop posts <c>Runtime.InvalidEvent</c>).</exception>
    internal async Task<ReadOnlyMemory<byte>> InvokeAsync<TContext>(IHttpApplication<TContext> application, LambdaInvocation invocation, CancellationToken cancellationToken)
        where TContext : notnull
    {
        var request = LambdaHttpRequest.Read(invocation.Payload);
        var runtime = _runner.Runtime;
        using var features = new LambdaHttpFeatures(
            request,
            invocation,
            cancellationToken,
            runtime is not null && _streaming.Streams(request.Event.Source) ? (head, token) => runtime.OpenHttpResponseStreamAsync(invocation, head, token) : null);
        var context = application.CreateContext(features.Collection);
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context).ConfigureAwait(false);
            await features.CompleteAsync().ConfigureAwait(false); // OnStarting callbacks of a response that wrote nothing, as Kestrel runs them
        }
#pragma warning disable CA1031 // An exception that escapes the app's pipeline is one request's failure: answered 500 as Kestrel does, the loop goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
            if (features.StreamedResponse is { } streamed)
            {
                LogUnhandledMidStream(_log, e, invocation.RequestId, request.Method, request.PathBase + request.Path, streamed.BytesWritten);
                await EndStreamAsync(features.FailStreamAsync(e, cancellationToken), invocation.RequestId).ConfigureAwait(false);
            }
            else
            {
                LogUnhandled(_log, e, invocation.RequestId, request.Method, request.PathBase + request.Path);
                features.SetServerError();
            }
        }

        if (features.IsStreaming) await EndStreamAsync(features.FinishStreamAsync(cancellationToken), invocation.RequestId).ConfigureAwait(false);

        try
        {
            await features.CompleteCallbacksAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The response is already decided: a failing OnCompleted callback is logged, as Kestrel does.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogCompletedFailed(_log, e, invocation.RequestId);
        }
        finally
        {
            application.DisposeContext(context, failure);
        }

        if (features.IsStreaming) return ReadOnlyMemory<byte>.Empty; // sent already, as it was written

        var response = new Portable.HttpResponseData(Math.Clamp(features.StatusCode, 100, 599))
        {
            Body = HttpMethods.IsHead(request.Method) ? ReadOnlyMemory<byte>.Empty : features.ResponseBody, // a HEAD answer has headers only, as on Kestrel
        };
        foreach (var (name, values) in features.ResponseHeaders)
        {
            foreach (var value in values)
            {
                if (value is not null) response.Headers.Add(name, value);
            }
        }

        return request.Event.WriteResponse(response);
    }

    /// <summary>Waits for a streamed response to be ended; one the Runtime API did not take is logged (nothing else can answer).</summary>
    private async Task EndStreamAsync(Task ending, string requestId)
    {
        try
        {
            await ending.ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            LogStreamNotDelivered(_log, e, requestId);
        }
    }


    [LoggerMessage(1, LogLevel.Information, "Serving the app on AWS Lambda: HTTP events from the Runtime API (API Gateway REST and HTTP API, ALB, function URL); response streaming: {Streaming}")]
    private static partial void LogStarted(ILogger logger, LambdaResponseStreaming streaming);

    [LoggerMessage(2, LogLevel.Error, "Invocation {RequestId}: an unhandled exception escaped the app's pipeline for {Method} {Path}; answered 500 with no body")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestId, string method, string path);

    [LoggerMessage(3, LogLevel.Error, "Invocation {RequestId}: an OnCompleted callback failed after the response was decided")]
    private static partial void LogCompletedFailed(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(6, LogLevel.Error, "Invocation {RequestId}: an unhandled exception escaped the app's pipeline for {Method} {Path} after {Bytes} bytes of its response were streamed (prelude included); the stream ends with the error trailers and the caller's response is cut short")]
    private static partial void LogUnhandledMidStream(ILogger logger, Exception exception, string requestId, string method, string path, long bytes);

    [LoggerMessage(7, LogLevel.Error, "Invocation {RequestId}: the streamed response could not be delivered to the Runtime API; the caller's response is cut short")]
    private static partial void LogStreamNotDelivered(ILogger logger, Exception exception, string requestId);
}
