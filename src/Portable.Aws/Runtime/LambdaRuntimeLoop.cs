using Microsoft.Extensions.Logging;
using Portable.Hosting;

namespace Portable.Aws.Runtime;

/// <summary>
/// The Lambda custom-runtime loop (Runtime API 2018-06-01), for a host that serves Lambda invocations its own way (the
/// ASP.NET Core bridge is one): <c>GET /runtime/invocation/next</c>, run the handler on the event, then
/// <c>POST …/response</c> with what it returned or <c>POST …/error</c>, and ask for the next event. The same loop Portable's
/// own functions run on.
/// </summary>
/// <remarks>
/// The handler answers with the response payload (empty for none). When it throws <see cref="InvalidInputException"/> the event
/// cannot be read: the invocation is answered with the error type <c>Runtime.InvalidEvent</c> and a warning is logged. Any other
/// exception is the handler's failure, answered <c>Unhandled</c>. A response the Runtime API refuses (413 over 6 MB) is logged
/// and answered <c>Runtime.ResponseRefused</c>. In each case the loop goes on with the next event. Per invocation the loop
/// sets <c>_X_AMZN_TRACE_ID</c> to the invocation's trace header, as Lambda's own runtimes do. After each invocation is answered
/// and before the next event is asked for (Lambda freezes the process at <c>/next</c>), the <see cref="ITelemetryFlush"/>es given
/// to <see cref="Create(string, Func{LambdaInvocation, CancellationToken, Task{ReadOnlyMemory{byte}}}, ILogger, IEnumerable{ITelemetryFlush})"/>
/// send what they hold, as Portable's own Lambda functions do. A host that fails before its loop starts reports it with
/// <see cref="ReportInitErrorAsync"/>.
/// </remarks>
public sealed class LambdaRuntimeLoop : IDisposable
{
    /// <summary>The environment variable in which Lambda gives the Runtime API's <c>host:port</c>.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    private readonly LambdaRuntimeClient _client;
    private readonly LambdaRuntime _runtime;

    private LambdaRuntimeLoop(LambdaRuntimeClient client, Func<LambdaInvocation, CancellationToken, Task<ReadOnlyMemory<byte>>> handler, ILogger logger, ITelemetryFlush[] flushes)
    {
        _client = client;
        _runtime = new LambdaRuntime(client, (invocation, token) => handler(invocation, token), logger, flushes);
    }

    /// <summary>A loop against the Runtime API at <paramref name="runtimeApi"/>, the value of <see cref="RuntimeApiVariable"/>.</summary>
    /// <param name="runtimeApi">The Runtime API's <c>host:port</c>, as Lambda sets it in <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    /// <param name="handler">Runs one invocation and returns its response payload; throws <see cref="InvalidInputException"/> for an event it cannot read.</param>
    /// <param name="logger">Where the loop logs refused events and responses.</param>
    /// <returns>The loop, not yet running: call <see cref="RunAsync"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="runtimeApi"/> is empty or blank.</exception>
    public static LambdaRuntimeLoop Create(string runtimeApi, Func<LambdaInvocation, CancellationToken, Task<ReadOnlyMemory<byte>>> handler, ILogger logger)
        => Create(runtimeApi, handler, logger, []);

    /// <summary>
    /// A loop against the Runtime API at <paramref name="runtimeApi"/> that flushes <paramref name="flushes"/> after each
    /// invocation is answered, before the next event is asked for: each waits at most two seconds and never past the invocation's
    /// deadline; a late or failing flush is logged, never thrown.
    /// </summary>
    /// <param name="runtimeApi">The Runtime API's <c>host:port</c>, as Lambda sets it in <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    /// <param name="handler">Runs one invocation and returns its response payload; throws <see cref="InvalidInputException"/> for an event it cannot read.</param>
    /// <param name="logger">Where the loop logs refused events and responses, and late flushes.</param>
    /// <param name="flushes">The host's registered <see cref="ITelemetryFlush"/>es (an exporter's, e.g. Portable.OpenTelemetry's).</param>
    /// <returns>The loop, not yet running: call <see cref="RunAsync"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="runtimeApi"/> is empty or blank.</exception>
    public static LambdaRuntimeLoop Create(string runtimeApi, Func<LambdaInvocation, CancellationToken, Task<ReadOnlyMemory<byte>>> handler, ILogger logger, IEnumerable<ITelemetryFlush> flushes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(flushes);
        return new LambdaRuntimeLoop(LambdaRuntimeClient.Create(runtimeApi), handler, logger, [.. flushes]);
    }

    /// <summary>
    /// Reports that the host could not start (<c>POST /runtime/init/error</c>, error type <c>Runtime.InitError</c>, a body with
    /// the exception's <c>errorType</c>, <c>errorMessage</c> and <c>stackTrace</c>), as Portable's own Lambda functions do: Lambda
    /// records the failure and ends the process. Only valid before the first event is asked for.
    /// </summary>
    /// <param name="runtimeApi">The Runtime API's <c>host:port</c>, as Lambda sets it in <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    /// <param name="exception">Why the host could not start.</param>
    /// <param name="cancellationToken">Stops the post.</param>
    /// <returns>True when the Runtime API accepted the report (202).</returns>
    /// <exception cref="HttpRequestException">The Runtime API cannot be reached.</exception>
    public static async Task<bool> ReportInitErrorAsync(string runtimeApi, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        ArgumentNullException.ThrowIfNull(exception);
        using var client = LambdaRuntimeClient.Create(runtimeApi);
        var answer = await client.PostInitErrorAsync(ErrorPayload.From(exception), LambdaBootstrap.InitError, cancellationToken).ConfigureAwait(false);
        return answer.IsAccepted;
    }

    /// <summary>Gets and handles events until <paramref name="cancellationToken"/> is signalled (it then returns).</summary>
    /// <param name="cancellationToken">Stops the loop; also handed to the handler.</param>
    /// <returns>A task that ends when the loop is stopped.</returns>
    /// <exception cref="HttpRequestException">The Runtime API failed or answered what the loop cannot use: the process should end so Lambda starts a new one.</exception>
    public Task RunAsync(CancellationToken cancellationToken) => _runtime.RunAsync(cancellationToken);

    /// <summary>
    /// Streams the response of the invocation being handled instead of returning it: the Runtime API's streaming response mode
    /// (a chunked <c>POST …/response</c> on a connection of its own), each write sent as it is made.
    /// </summary>
    /// <remarks>
    /// Call it from the handler, with the invocation the handler was given. The handler's return value is then not posted; the
    /// loop completes the stream when the handler returns (if the handler did not end it) and ends it with the error trailers
    /// (<c>Lambda-Runtime-Function-Error-Type</c>, <c>Lambda-Runtime-Function-Error-Body</c>) when the handler throws. Only a
    /// caller that invokes with response streaming receives it as a stream (a function URL with <c>InvokeMode: RESPONSE_STREAM</c>,
    /// API Gateway REST with <c>responseTransferMode: STREAM</c>); for an HTTP caller use <see cref="OpenHttpResponseStreamAsync"/>.
    /// </remarks>
    /// <param name="invocation">The invocation being handled.</param>
    /// <param name="contentType">The content type of what is streamed.</param>
    /// <param name="cancellationToken">Stops the connecting; the invocation's deadline stops it too.</param>
    /// <returns>The response, to write to.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="invocation"/> is not being handled, or its response is already streaming.</exception>
    /// <exception cref="HttpRequestException">The Runtime API cannot be reached.</exception>
    public Task<LambdaStreamingResponse> OpenResponseStreamAsync(LambdaInvocation invocation, string contentType, CancellationToken cancellationToken)
        => _runtime.OpenStreamAsync(invocation, contentType, cancellationToken);

    /// <summary>
    /// Streams an HTTP response for a function URL or API Gateway (<see cref="LambdaStreamingResponse.HttpIntegrationContentType"/>):
    /// sends at once the prelude of <paramref name="head"/> (its status, its headers, every <c>Set-Cookie</c> as <c>cookies</c>)
    /// and the eight NUL bytes that end it; what is written next is the body. As <see cref="OpenResponseStreamAsync"/> otherwise.
    /// </summary>
    /// <param name="invocation">The invocation being handled.</param>
    /// <param name="head">The status and headers; its body is ignored.</param>
    /// <param name="cancellationToken">Stops the connecting; the invocation's deadline stops it too.</param>
    /// <returns>The response, to write the body to.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="invocation"/> is not being handled, or its response is already streaming.</exception>
    /// <exception cref="HttpRequestException">The Runtime API cannot be reached.</exception>
    public async Task<LambdaStreamingResponse> OpenHttpResponseStreamAsync(LambdaInvocation invocation, HttpResponseData head, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(head);
        var prelude = HttpIntegrationPrelude.Write(head);
        var stream = await _runtime.OpenStreamAsync(invocation, LambdaStreamingResponse.HttpIntegrationContentType, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(prelude, cancellationToken).ConfigureAwait(false);
        return stream;
    }

    /// <summary>Releases the connection to the Runtime API.</summary>
    public void Dispose() => _client.Dispose();
}
