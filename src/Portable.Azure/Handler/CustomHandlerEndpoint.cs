using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Portable.Azure.Bindings;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Azure.Handler;

/// <summary>
/// The custom handler's one request handler. <c>GET /</c> answers at once (the host polls it until the handler is up);
/// <c>/{routePrefix}/…</c> is a forwarded HTTP request (<c>enableForwardingHttpRequest</c>), routed by Portable's
/// <see cref="HttpRouter"/> and answered as it is; <c>POST /{FunctionName}</c> is an invocation payload.
/// </summary>
internal sealed partial class CustomHandlerEndpoint(
    CustomHandlerInvoker invoker,
    FunctionExecutor executor,
    AzureOptions options,
    ILogger<CustomHandlerEndpoint> log)
{
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    private readonly HttpRouter _router = new(invoker.Catalog);

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.HasValue ? context.Request.Path.Value! : "/";
        var prefix = options.NormalizedRoutePrefix;
        try
        {
            if (path == "/" && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
            {
                context.Response.StatusCode = 200;
                return;
            }

            if (prefix.Length == 0 || path.Equals("/" + prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith("/" + prefix + "/", StringComparison.OrdinalIgnoreCase))
            {
                if (prefix.Length > 0 || !IsInvocation(context, path))
                {
                    await HttpResponseWriter.WriteAsync(context, await ForwardedAsync(context, PayloadReader.StripPrefix(path, prefix)).ConfigureAwait(false)).ConfigureAwait(false);
                    return;
                }
            }

            if (!HttpMethods.IsPost(context.Request.Method) || path.IndexOf('/', 1) > 0)
            {
                await HttpResponseWriter.WriteAsync(context, HttpResponseData.NotFound(
                    $"The custom handler answers GET /, POST /{{FunctionName}} and forwarded requests under /{prefix}/; not {context.Request.Method} {path}.")).ConfigureAwait(false);
                return;
            }

            var payload = await ReadBodyAsync(context).ConfigureAwait(false);
            var call = new HandlerCall(context.Request.Headers[InvocationIdHeader].FirstOrDefault(), context.Request.Headers.TraceParent, context.Request.Headers.TraceState);
            var result = await invoker.InvokeAsync(Uri.UnescapeDataString(path[1..]), payload, call, context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = result.StatusCode;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = result.Body.Length;
            await context.Response.Body.WriteAsync(result.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BodyTooLargeException)
        {
            LogTooLarge(log, context.Request.Method, path, options.MaxRequestBodyBytes);
            await HttpResponseWriter.WriteAsync(context, HttpResponseData.Problem(413, "Content Too Large", $"The request body is over the limit of {options.MaxRequestBodyBytes} bytes ({AzureOptions.SectionName}:MaxRequestBodyBytes).")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (BadHttpRequestException e)
        {
            await HttpResponseWriter.WriteAsync(context, HttpResponseData.Problem(e.StatusCode, "Bad Request", e.Message)).ConfigureAwait(false);
        }
    }

    private bool IsInvocation(HttpContext context, string path)
        => HttpMethods.IsPost(context.Request.Method) && path.IndexOf('/', 1) < 0 && invoker.Catalog.Find(Uri.UnescapeDataString(path[1..])) is not null
           && context.Request.Headers.ContainsKey(InvocationIdHeader) && context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;

    private async Task<HttpResponseData> ForwardedAsync(HttpContext context, string path)
    {
        var match = _router.Match(context.Request.Method, path);
        if (match.Status == RouteMatchStatus.NotFound)
            return HttpResponseData.NotFound($"No function is mapped to {context.Request.Method} {path}.");
        if (match.Status == RouteMatchStatus.MethodNotAllowed)
            return HttpResponseData.Problem(405, "Method Not Allowed", $"{path} is mapped, but not for {context.Request.Method}.");

        var request = HttpRequestReader.ToRequestData(context, path, await ReadBodyAsync(context).ConfigureAwait(false));

        foreach (var (name, value) in match.RouteValues!) request.RouteValues[name] = value;
        var invocationId = context.Request.Headers[InvocationIdHeader].FirstOrDefault() is { Length: > 0 } id ? id : Guid.NewGuid().ToString();
        var info = new InvocationInfo
        {
            InvocationId = invocationId,
            Trace = TraceContext.ParseOrNew(context.Request.Headers.TraceParent, context.Request.Headers.TraceState),
        };
        try
        {
            return await executor.InvokeHttpAsync(match.Function!, request, info, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            return HttpResponseData.Problem(500, "Internal Server Error",
                $"Function '{match.Function!.Name}' failed. The log has the details under invocation {invocationId}.", invocationId: invocationId);
        }
    }

    private async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context)
        => await HttpRequestReader.ReadBodyAsync(context, options.MaxRequestBodyBytes).ConfigureAwait(false) ?? throw new BodyTooLargeException();

    [LoggerMessage(1, LogLevel.Warning, "{Method} {Path} refused: the body is over the limit of {Limit} bytes")]
    private static partial void LogTooLarge(ILogger logger, string method, string path, long limit);

    private sealed class BodyTooLargeException : Exception;
}
