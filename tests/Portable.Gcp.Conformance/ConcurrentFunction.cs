namespace Portable.Gcp.Conformance;

/// <summary><c>concurrent</c>: sleeps one second, then answers 200, so the client can see requests overlap.</summary>
internal sealed class ConcurrentFunction : IHttpFunction
{
    public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return new HttpResponseData(200);
    }
}
