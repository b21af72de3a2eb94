using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Portable.Azure.Bindings;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Azure.Handler;

/// <summary>
/// The custom handler's one request handler. <c>GET /</c> answers at once (the host polls it until the handler is up);
/// <c>/{routePrefix}/…</c> is a forwarded HTTP request (<c>enableForwardingHttpRequest</c>), answered by the
/// <see cref="HttpDispatcher"/> every platform uses; <c>POST /{FunctionName}</c> is an invocation payload, read into one array of
/// its exact size, or into the one reusable buffer of event payloads (<see cref="EventPayloadBuffer"/>; no stream copies, no string
/// of it), in which the invoker finds the function's input without copying it.
/// </summary>
internal sealed partial class CustomHandlerEndpoint(CustomHandlerInvoker invoker, HttpDispatcher dispatcher, AzureOptions options, ILogger<CustomHandlerEndpoint> log)
{
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    private readonly EventPayloadBuffer _payloads = new();

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

        if (HttpMethods.IsPost(context.Request.Method) && path.Length > 1 && path.IndexOf('/', 1) < 0) return InvokeAsync(context, path);
        return KestrelHttp.ServeAsync(context, path, dispatcher, options.MaxRequestBodyBytes, Setting, (request, _) => Task.FromResult(HttpResponseData.NotFound(
            $"The custom handler answers GET /, POST /{{FunctionName}} and forwarded requests under /{options.NormalizedRoutePrefix}/; not {request.Method} {request.Path}.")));
    }

    private const string Setting = AzureOptions.SectionName + ":MaxRequestBodyBytes";

    /// <summary>
    /// One invocation: the payload read, handed to the invoker, and its answer written; a fault still answers with a line. The
    /// payload of a function that is not an HTTP function is read into the one reusable <see cref="EventPayloadBuffer"/> when it
    /// is free; any other payload into an array of its own. A large payload's memory is given back once it is answered
    /// (<see cref="LargeInvocations"/>): always for an array of its own, for the buffer only when the function's input made of it
    /// allocated more than the payload (strings of it in UTF-16).
    /// </summary>
    private async Task InvokeAsync(HttpContext context, string path)
    {
        var cancellationToken = context.RequestAborted;
        IDisposable? large = null;
        byte[]? buffer = null;
        try
        {
            HttpResponseData response;
            try
            {
                var name = Uri.UnescapeDataString(path[1..]);
                var function = invoker.Catalog.Find(name);
                var (limit, setting) = LimitFor(function);
                Memory<byte>? payload;
                if (function is { Trigger.Kind: not TriggerKind.Http } && context.Request.ContentLength is > 0 and var length && length <= limit
                    && length <= EventPayloadBuffer.Size && (buffer = _payloads.TryRent()) is not null)
                {
                    payload = buffer.AsMemory(0, (int)length);
                    await context.Request.Body.ReadExactlyAsync(payload.Value, cancellationToken).ConfigureAwait(false);
                    large = LargeInvocations.BeginInBuffer(length);
                }
                else
                {
                    var array = await KestrelHttp.ReadBodyAsync(context, limit).ConfigureAwait(false);
                    large = LargeInvocations.Begin(array?.Length ?? 0);
                    // Not "payload = array": a null array converts to an empty Memory, not to none (and so would "array is null ? null : …").
                    if (array is null) payload = null;
                    else payload = array;
                }

                if (payload is not { } read)
                {
                    response = dispatcher.TooLarge(context.Request.Method, path, limit, setting);
                }
                else
                {
                    var headers = context.Request.Headers;
                    var call = new HandlerCall(headers[InvocationIdHeader].FirstOrDefault(), headers["traceparent"].FirstOrDefault(), headers["tracestate"].FirstOrDefault());
                    var invocation = invoker.InvokeAsync(name, read, call, cancellationToken);
                    payload = null; // what the function needs of it is the invoker's now: nothing here keeps the rest alive
                    var result = await invocation.ConfigureAwait(false);
                    response = new HttpResponseData(result.StatusCode) { Body = result.Body };
                    response.Headers["Content-Type"] = "application/json";
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is BadHttpRequestException or EndOfStreamException)
            {
                response = dispatcher.BadRequest(context.Request.Method, path, e.Message);
            }
            catch (Exception e)
            {
                LogFault(log, e, path, context.Request.Headers[InvocationIdHeader].FirstOrDefault() ?? "none");
                response = new HttpResponseData(500)
                {
                    Body = InvocationResult.Failure(500, $"The custom handler could not answer POST {path}: {e.GetType().Name}: {e.Message}").Body,
                };
                response.Headers["Content-Type"] = "application/json";
            }

            await KestrelHttp.WriteAsync(context, response).ConfigureAwait(false);
        }
        finally
        {
            if (buffer is not null) _payloads.Return(buffer);
            large?.Dispose();
        }
    }

    /// <summary>
    /// The largest invocation payload of a function that is not an HTTP function: what a Storage queue message (64 KiB), an Event
    /// Grid event (1 MB) or a timer can carry, with the host's metadata around it. A larger payload did not come from the host.
    /// </summary>
    internal const long MaxEventPayloadBytes = 2 * 1024 * 1024;

    /// <summary>The payload limit of a function, and what sets it: <see cref="AzureOptions.MaxRequestBodyBytes"/> for HTTP functions, at most <see cref="MaxEventPayloadBytes"/> for the others.</summary>
    private (long Limit, string Setting) LimitFor(FunctionDefinition? function)
        => function is { Trigger.Kind: not TriggerKind.Http } && options.MaxRequestBodyBytes > MaxEventPayloadBytes
            ? (MaxEventPayloadBytes, "the limit of a queue, topic or timer invocation: a Storage queue message is at most 64 KiB, an Event Grid event 1 MB")
            : (options.MaxRequestBodyBytes, Setting);

    /// <summary>The host's invocation id; without one, null, so that the dispatcher's own fallback applies (a new id, the request's trace).</summary>
    private static InvocationInfo? Info(HttpRequestData request)
        => request.Headers[InvocationIdHeader] is { Length: > 0 } id
            ? new() { InvocationId = id, Trace = TraceContext.ParseOrNew(request.Headers["traceparent"], request.Headers["tracestate"]) }
            : null;

    /// <summary>
    /// Whether <c>POST /{name}</c> is an invocation payload rather than a forwarded request, which only an empty route prefix leaves
    /// open: the request has the host's invocation id and a JSON body, and no HTTP function the host forwards (one HTTP trigger and
    /// one HTTP output: no declared sends) has a POST route that matches the path. A name that is no function is then answered as
    /// an invocation of an unknown function (404 with a <c>Logs</c> line), as under a prefix.
    /// </summary>
    private bool IsInvocation(HttpContext context, string path)
        => HttpMethods.IsPost(context.Request.Method) && path.IndexOf('/', 1) < 0
           && context.Request.Headers.ContainsKey(InvocationIdHeader) && context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true
           && !_forwardedPostRoutes.Value.Any(route => route.TryMatch(path, out _));

    /// <summary>The routes of the HTTP functions the host forwards that take POST, parsed once.</summary>
    private readonly Lazy<RouteTemplate[]> _forwardedPostRoutes = new(() => options.ForwardHttpRequests
        ? invoker.Catalog.Functions
            .Where(f => f.Trigger.Kind == TriggerKind.Http && f.Sends.Count == 0 && (f.Trigger.Method is "POST" or "*"))
            .Select(f => RouteTemplate.Parse(f.Trigger.Route!)).ToArray()
        : []);

    [LoggerMessage(1, LogLevel.Error, "POST {Path}: the custom handler could not answer the invocation (invocation {InvocationId})")]
    private static partial void LogFault(ILogger logger, Exception exception, string path, string invocationId);
}
