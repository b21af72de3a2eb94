using Microsoft.Extensions.Logging;

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
/// sets <c>_X_AMZN_TRACE_ID</c> to the invocation's trace header, as Lambda's own runtimes do.
/// </remarks>
public sealed class LambdaRuntimeLoop : IDisposable
{
    /// <summary>The environment variable in which Lambda gives the Runtime API's <c>host:port</c>.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    private readonly LambdaRuntimeClient _client;
    private readonly LambdaRuntime _runtime;

    private LambdaRuntimeLoop(LambdaRuntimeClient client, Func<LambdaInvocation, CancellationToken, Task<ReadOnlyMemory<byte>>> handler, ILogger logger)
    {
        _client = client;
        _runtime = new LambdaRuntime(client, (invocation, token) => handler(invocation, token), logger);
    }

    /// <summary>A loop against the Runtime API at <paramref name="runtimeApi"/>, the value of <see cref="RuntimeApiVariable"/>.</summary>
    /// <param name="runtimeApi">The Runtime API's <c>host:port</c>, as Lambda sets it in <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    /// <param name="handler">Runs one invocation and returns its response payload; throws <see cref="InvalidInputException"/> for an event it cannot read.</param>
    /// <param name="logger">Where the loop logs refused events and responses.</param>
    /// <returns>The loop, not yet running: call <see cref="RunAsync"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="runtimeApi"/> is empty or blank.</exception>
    public static LambdaRuntimeLoop Create(string runtimeApi, Func<LambdaInvocation, CancellationToken, Task<ReadOnlyMemory<byte>>> handler, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(logger);
        return new LambdaRuntimeLoop(LambdaRuntimeClient.Create(runtimeApi), handler, logger);
    }

    /// <summary>Gets and handles events until <paramref name="cancellationToken"/> is signalled (it then returns).</summary>
    /// <param name="cancellationToken">Stops the loop; also handed to the handler.</param>
    /// <returns>A task that ends when the loop is stopped.</returns>
    /// <exception cref="HttpRequestException">The Runtime API failed or answered what the loop cannot use: the process should end so Lambda starts a new one.</exception>
    public Task RunAsync(CancellationToken cancellationToken) => _runtime.RunAsync(cancellationToken);

    /// <summary>Releases the connection to the Runtime API.</summary>
    public void Dispose() => _client.Dispose();
}
