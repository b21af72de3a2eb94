namespace Portable.Gcp.Conformance;

/// <summary><c>http</c>: writes the request body to function_output.json and answers 200.</summary>
internal sealed class HttpFunction : IHttpFunction
{
    public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        await File.WriteAllBytesAsync(ConformanceApp.OutputFile, request.Body.ToArray(), cancellationToken);
        return new HttpResponseData(200);
    }
}
