namespace Portable;

/// <summary>
/// A typed function: JSON in, JSON out. Mapped to an HTTP route it reads the request body as
/// <typeparamref name="TInput"/> and answers <typeparamref name="TOutput"/>; every platform can also invoke it directly with JSON.
/// </summary>
/// <typeparam name="TInput">The request type, deserialized with the app's JSON contexts.</typeparam>
/// <typeparam name="TOutput">The response type, serialized with the app's JSON contexts.</typeparam>
public interface IFunction<in TInput, TOutput>
{
    /// <summary>Handles one invocation.</summary>
    /// <param name="input">The deserialized request.</param>
    /// <param name="context">The invocation's context.</param>
    /// <param name="cancellationToken">Signalled when the platform's deadline nears or the host stops.</param>
    /// <returns>The response, serialized as JSON.</returns>
    /// <exception cref="InvalidInputException">The input breaks a rule; every platform answers it as a client error.</exception>
    Task<TOutput> HandleAsync(TInput input, FunctionContext context, CancellationToken cancellationToken);
}
