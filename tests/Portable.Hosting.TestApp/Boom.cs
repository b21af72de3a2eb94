namespace Portable.Hosting.TestApp;

/// <summary>A function that fails on valid input: the 500 problem with the invocation id, and no detail of the failure leaked.</summary>
public sealed class Boom : IHttpFunction
{
    /// <summary>What the failure says; it must never reach the caller.</summary>
    public const string Secret = "boom: a failure detail the caller must not see";

    /// <inheritdoc />
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException(Secret);
}
