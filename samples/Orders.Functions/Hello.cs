using Portable;

namespace Orders;

/// <summary><c>GET /hello?name=Ada</c> answers <c>Hello, Ada</c>: the function cold starts are measured with.</summary>
public sealed class Hello : IHttpFunction
{
    /// <inheritdoc />
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Query["name"] is { Length: > 0 } given ? given : "world";
        return Task.FromResult(HttpResponseData.Text(200, $"Hello, {name}"));
    }
}
