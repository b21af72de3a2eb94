namespace WebApi;

/// <summary>An ordinary middleware: every answer says who served it.</summary>
public sealed class ServedByMiddleware(RequestDelegate next)
{
    /// <summary>Adds <c>X-Served-By</c> and calls the rest of the pipeline.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers["X-Served-By"] = "WebApi";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
