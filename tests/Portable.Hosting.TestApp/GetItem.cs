namespace Portable.Hosting.TestApp;

/// <summary>A raw HTTP function with a route parameter: 404 for a path its route does not match, 405 for another method.</summary>
public sealed class GetItem : IHttpFunction
{
    /// <inheritdoc />
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(HttpResponseData.Text(200, "item " + request.RouteValues["id"]));
    }
}
