namespace Portable.Aws.Runtime;

/// <summary>
/// The calls of the Lambda Runtime API 2018-06-01 the loop makes. <see cref="LambdaRuntimeClient"/> speaks them over
/// HTTP; tests substitute this interface to drive <see cref="LambdaRuntime"/> without a server.
/// </summary>
internal interface ILambdaRuntimeClient
{
    /// <summary>Waits for the next event (<c>GET /runtime/invocation/next</c>), with no timeout: the process is frozen between events.</summary>
    Task<LambdaInvocation> GetNextAsync(CancellationToken cancellationToken);

    /// <summary>Posts an invocation's response (<c>POST /runtime/invocation/{id}/response</c>).</summary>
    /// <returns>What the Runtime API answered: 202 when accepted, 413 for a response over 6 MB.</returns>
    Task<RuntimeApiAnswer> PostResponseAsync(string requestId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a streamed response (<c>POST /runtime/invocation/{id}/response</c> in the streaming response mode, chunked, on a
    /// connection of its own); the body follows as it is written.
    /// </summary>
    Task<LambdaStreamingResponse> OpenStreamAsync(LambdaInvocation invocation, string contentType, CancellationToken cancellationToken);

    /// <summary>Posts an invocation error (<c>POST /runtime/invocation/{id}/error</c>) with its <c>Lambda-Runtime-Function-Error-Type</c>.</summary>
    Task<RuntimeApiAnswer> PostErrorAsync(string requestId, ErrorPayload error, string errorType, CancellationToken cancellationToken);

    /// <summary>Posts an initialization error (<c>POST /runtime/init/error</c>); Lambda then ends the process.</summary>
    Task<RuntimeApiAnswer> PostInitErrorAsync(ErrorPayload error, string errorType, CancellationToken cancellationToken);
}
