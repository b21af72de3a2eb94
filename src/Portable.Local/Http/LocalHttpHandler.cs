using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;
using Portable.Local.Queues;

namespace Portable.Local.Http;

/// <summary>
/// The local host's one request handler: Portable's own router finds the function (the same router every adapter uses),
/// bodies over the limit answer 413, failures answer a problem document with the invocation id, and the host keeps serving.
/// Under <c>/_portable/</c> it serves the catalog, direct invocation, queue statistics and dead letters.
/// </summary>
internal sealed partial class LocalHttpHandler(
    PortableApp app,
    FunctionExecutor executor,
    LocalQueueStore queues,
    LocalOptions options,
    ILogger<LocalHttpHandler> log)
{
    private const string AdminPrefix = "/_portable/";
    private readonly HttpRouter _router = new(app.Catalog);

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.HasValue ? context.Request.Path.Value! : "/";
        HttpResponseData response;
        try
        {
            response = path.StartsWith(AdminPrefix, StringComparison.OrdinalIgnoreCase)
                ? await HandleAdminAsync(context, path[AdminPrefix.Length..]).ConfigureAwait(false)
                : await HandleFunctionAsync(context, path).ConfigureAwait(false);
        }
        catch (BodyTooLargeException)
        {
            LogTooLarge(log, context.Request.Method, path, options.MaxRequestBodyBytes);
            response = HttpResponseData.Problem(413, "Content Too Large", $"The request body is over the limit of {options.MaxRequestBodyBytes} bytes (Portable:Local:MaxRequestBodyBytes).");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            response = HttpResponseData.Problem(e.StatusCode, "Bad Request", e.Message);
        }

        await HttpResponseWriter.WriteAsync(context, response).ConfigureAwait(false);
    }

    private async Task<HttpResponseData> HandleFunctionAsync(HttpContext context, string path)
    {
        var match = _router.Match(context.Request.Method, path);
        if (match.Status == RouteMatchStatus.NotFound)
            return HttpResponseData.NotFound($"No function is mapped to {context.Request.Method} {path}. GET /_portable/functions lists the routes.");
        if (match.Status == RouteMatchStatus.MethodNotAllowed)
            return HttpResponseData.Problem(405, "Method Not Allowed", $"{path} is mapped, but not for {context.Request.Method}.");

        var request = HttpRequestReader.ToRequestData(context, path, await ReadBodyAsync(context).ConfigureAwait(false));

        foreach (var (name, value) in match.RouteValues!) request.RouteValues[name] = value;
        var info = new InvocationInfo
        {
            InvocationId = Guid.NewGuid().ToString("N"),
            Trace = TraceContext.ParseOrNew(context.Request.Headers.TraceParent, context.Request.Headers.TraceState),
        };
        try
        {
            return await executor.InvokeHttpAsync(match.Function!, request, info, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            return Failed(info.InvocationId, match.Function!.Name);
        }
    }

    private async Task<HttpResponseData> HandleAdminAsync(HttpContext context, string rest)
    {
        var parts = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = context.Request.Method;
        switch (parts)
        {
            case ["functions"] when method == "GET":
                return Json(200, app.Catalog.ToJson());
            case ["functions", var name, "invoke"] when method == "POST":
                return await InvokeAsync(context, name).ConfigureAwait(false);
            case ["queues"] when method == "GET":
                return HttpResponseData.Json(200, queues.Stats(), LocalJsonContext.Default.IReadOnlyListQueueStats);
            case ["queues", var queue, "messages"] when method == "POST":
                var body = await ReadBodyAsync(context).ConfigureAwait(false);
                if (!IsJson(body)) return HttpResponseData.Problem(400, "Bad Request", "The message must be a JSON document.");
                queues.Enqueue(Uri.UnescapeDataString(queue), [body.ToArray()], null, null);
                return new HttpResponseData(202);
            case ["queues", var queue, "dead-letters"] when method == "GET":
                return HttpResponseData.Json(200, queues.DeadLetters(Uri.UnescapeDataString(queue)), LocalJsonContext.Default.IReadOnlyListDeadLetter);
            case ["queues", var queue, "dead-letters", "redrive"] when method == "POST":
                var name2 = Uri.UnescapeDataString(queue);
                var count = queues.Redrive(name2, context.Request.Query["id"].FirstOrDefault());
                return HttpResponseData.Json(200, new RedriveResult(name2, count), LocalJsonContext.Default.RedriveResult);
            default:
                return HttpResponseData.NotFound(
                    "The local admin API has: GET /_portable/functions, POST /_portable/functions/{name}/invoke, GET /_portable/queues, " +
                    "POST /_portable/queues/{queue}/messages, GET /_portable/queues/{queue}/dead-letters, POST /_portable/queues/{queue}/dead-letters/redrive[?id=].");
        }
    }

    private async Task<HttpResponseData> InvokeAsync(HttpContext context, string name)
    {
        var function = app.Catalog.Find(Uri.UnescapeDataString(name));
        if (function is null)
            return HttpResponseData.NotFound($"No function named '{name}'. GET /_portable/functions lists them.");
        var input = await ReadBodyAsync(context).ConfigureAwait(false);
        var info = new InvocationInfo { InvocationId = Guid.NewGuid().ToString("N") };
        try
        {
            var output = await executor.InvokeJsonAsync(function, input, info, context.RequestAborted).ConfigureAwait(false);
            if (output is null) return new HttpResponseData(204);
            var response = new HttpResponseData(200) { Body = output };
            response.Headers["Content-Type"] = "application/json; charset=utf-8";
            return response;
        }
        catch (InvalidInputException e)
        {
            return HttpResponseData.Problem(400, "Bad Request", e.Message, e.Errors);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            return Failed(info.InvocationId, function.Name);
        }
    }

    private async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context)
        => await HttpRequestReader.ReadBodyAsync(context, options.MaxRequestBodyBytes).ConfigureAwait(false) ?? throw new BodyTooLargeException();

    private static HttpResponseData Failed(string invocationId, string functionName)
    {
        return HttpResponseData.Problem(500, "Internal Server Error",
            $"Function '{functionName}' failed. The log has the details under invocation {invocationId}.", invocationId: invocationId);
    }

    private static HttpResponseData Json(int status, string json)
    {
        var response = new HttpResponseData(status) { Body = System.Text.Encoding.UTF8.GetBytes(json) };
        response.Headers["Content-Type"] = "application/json; charset=utf-8";
        return response;
    }

    private static bool IsJson(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "{Method} {Path} refused: the body is over the limit of {Limit} bytes")]
    private static partial void LogTooLarge(ILogger logger, string method, string path, long limit);

    private sealed class BodyTooLargeException : Exception;
}
