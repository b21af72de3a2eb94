namespace Portable;

/// <summary>A function with full control over a portable HTTP request and response.</summary>
public interface IHttpFunction
{
    /// <summary>Handles one HTTP request.</summary>
    /// <param name="request">The request, with its body already read.</param>
    /// <param name="context">The invocation's context.</param>
    /// <param name="cancellationToken">Signalled when the platform's deadline nears or the host stops.</param>
    /// <returns>The response to send.</returns>
    Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken);
}
