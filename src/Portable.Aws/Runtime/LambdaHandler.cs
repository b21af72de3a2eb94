namespace Portable.Aws.Runtime;

/// <summary>
/// What <see cref="LambdaRuntime"/> runs for each invocation: the event in, the response payload out (empty for none).
/// Throwing <see cref="InvalidInputException"/> says the event cannot be read (<c>Runtime.InvalidEvent</c>); any other
/// exception is the handler's failure (<c>Unhandled</c>). Portable's event dispatch is one such handler; a bridge to
/// another framework would be another, on the same loop.
/// </summary>
/// <param name="invocation">The event and its <c>Lambda-Runtime-*</c> headers.</param>
/// <param name="cancellationToken">Signalled when the process stops.</param>
/// <returns>The response payload.</returns>
internal delegate Task<ReadOnlyMemory<byte>> LambdaHandler(LambdaInvocation invocation, CancellationToken cancellationToken);
