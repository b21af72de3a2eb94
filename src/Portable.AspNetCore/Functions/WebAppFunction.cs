namespace Portable.AspNetCore.Functions;

/// <summary>
/// Stands for the whole ASP.NET Core app in the catalog the deployment files are written from (<c>--write-deployment</c>,
/// <c>--describe</c>): one HTTP function, <see cref="Name"/>, with a catch-all route, so every adapter's writer gives the app one
/// HTTP entry (a SAM function with <c>/{proxy+}</c> and <c>/</c>, an Azure catch-all function, a Cloud Run service). It is never
/// invoked: at run time the app's own pipeline serves HTTP.
/// </summary>
internal sealed class WebAppFunction : IHttpFunction
{
    /// <summary>The name of the app's HTTP function in the deployment files, and its Lambda <c>_HANDLER</c> (which names no Portable function, so the app's HTTP is served).</summary>
    public const string Name = "web";

    /// <summary>Its route: every path.</summary>
    public const string Route = "* /{*path}";

    /// <inheritdoc />
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException("The app's HTTP is served by its ASP.NET Core pipeline; this function only describes it in deployment files.");
}
