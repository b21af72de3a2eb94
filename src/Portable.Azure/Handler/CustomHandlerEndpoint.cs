using Microsoft.AspNetCore.Http;
using Portable.Azure.Bindings;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Azure.Handler;

/// <summary>
/// The custom handler's one request handler. <c>GET /</c> answers at once (the host polls it until the handler is up);
/// <c>/{routePrefix}/…</c> is a forwarded HTTP request (<c>enableForwardingHttpRequest</c>), answered by the
/// <see cref="HttpDispatcher"/> every platform uses; <c>POST /{FunctionName}</c> is an invocation payload.
/// </summary>
internal sealed class CustomHandlerEndpoint(CustomHandlerInvoker invoker, HttpDispatcher dispatcher, AzureOptions options)
{
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    public Task HandleAsync(HttpContext context)
    {
        var path = KestrelHttp.PathOf(context);
        if (path == "/" && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        }

        var prefix = options.NormalizedRoutePrefix;
        var underPrefix = prefix.Length == 0 || path.Equals("/" + prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith("/" + prefix + "/", StringComparison.OrdinalIgnoreCase);
        if (underPrefix && (prefix.Length > 0 || !IsInvocation(context, path)))
        {
            return KestrelHttp.ServeAsync(context, PayloadReader.StripPrefix(path, prefix), dispatcher, options.MaxRequestBodyBytes, Setting,
                (request, token) => dispatcher.DispatchAsync(request, Info(request), token));
        }

        return KestrelHttp.ServeAsync(context, path, dispatcher, options.MaxRequestBodyBytes, Setting, InvokeAsync);
    }

    private const string Setting = AzureOptions.SectionName + ":MaxRequestBodyBytes";

    private async Task<HttpResponseData> InvokeAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        if (request.Method != "POST" || request.Path.IndexOf('/', 1) > 0)
        {
            return HttpResponseData.NotFound(
                $"The custom handler answers GET /, POST /{{FunctionName}} and forwarded requests under /{options.NormalizedRoutePrefix}/; not {request.Method} {request.Path}.");
        }

        var call = new HandlerCall(request.Headers[InvocationIdHeader], request.Headers["traceparent"], request.Headers["tracestate"]);
        var result = await invoker.InvokeAsync(Uri.UnescapeDataString(request.Path[1..]), request.Body, call, cancellationToken).ConfigureAwait(false);
        var response = new HttpResponseData(result.StatusCode) { Body = result.Body };
        response.Headers["Content-Type"] = "application/json";
        return response;
    }

    private static InvocationInfo Info(HttpRequestData request) => new()
    {
        InvocationId = request.Headers[InvocationIdHeader] is { Length: > 0 } id ? id : Guid.NewGuid().ToString(),
        Trace = TraceContext.ParseOrNew(request.Headers["traceparent"], request.Headers["tracestate"]),
    };

    private bool IsInvocation(HttpContext context, string path)
        => HttpMethods.IsPost(context.Request.Method) && path.IndexOf('/', 1) < 0 && invoker.Catalog.Find(Uri.UnescapeDataString(path[1..])) is not null
           && context.Request.Headers.ContainsKey(InvocationIdHeader) && context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
}
