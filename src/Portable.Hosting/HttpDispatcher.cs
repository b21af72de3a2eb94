using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Portable.Hosting;

/// <summary>
/// The one HTTP path every platform uses, once an adapter has read its wire format into a <see cref="HttpRequestData"/>:
/// route match, 404, 405 with <c>Allow</c>, route values, the invocation (415 and 400 problems come from the function's
/// invoker and the executor), a 500 problem with the invocation id for a failure, an empty body for <c>HEAD</c>; plus the
/// answers an adapter gives before a function is found (413 for a body over its limit, 400 for a request it cannot read).
/// Each refusal is logged once, here; a failure is logged once by the <see cref="FunctionExecutor"/>.
/// </summary>
public sealed partial class HttpDispatcher
{
    private static readonly ConditionalWeakTable<HttpResponseData, object> Failures = [];
    private static readonly object FailureMark = new();
    private readonly FunctionExecutor _executor;
    private readonly HttpRouter _router;
    private readonly ILogger _log;

    /// <summary>Creates the dispatcher for the catalog's HTTP functions.</summary>
    /// <param name="catalog">The catalog.</param>
    /// <param name="executor">Runs the invocations.</param>
    /// <param name="log">Where refusals are logged; nowhere when null.</param>
    public HttpDispatcher(FunctionCatalog catalog, FunctionExecutor executor, ILogger<HttpDispatcher>? log = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(executor);
        Catalog = catalog;
        _executor = executor;
        _router = new HttpRouter(catalog);
        _log = (ILogger?)log ?? NullLogger.Instance;
    }

    /// <summary>A sentence added to every 404's detail, such as where the routes are listed; none when null.</summary>
    public string? NotFoundHint { get; init; }

    /// <summary>The catalog whose functions are dispatched to.</summary>
    public FunctionCatalog Catalog { get; }

    /// <summary>Routes a request among the app's HTTP functions and answers it.</summary>
    /// <param name="request">The request.</param>
    /// <param name="info">The invocation's facts; when null, a new invocation id and the request's <c>traceparent</c>.</param>
    /// <param name="cancellationToken">Signalled when the caller has gone or the host stops.</param>
    /// <returns>The response; never throws for a function's failure.</returns>
    public Task<HttpResponseData> DispatchAsync(HttpRequestData request, InvocationInfo? info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AnswerAsync(_router.Match(request.Method, request.Path), request, info, cancellationToken);
    }

    /// <summary>
    /// Answers a request for one known function: the one a Cloud Run service serves, or the one the Azure Functions host invoked.
    /// The path gives the route values when it matches the function's route; a route with parameters that does not match is a 404.
    /// </summary>
    /// <param name="function">The function.</param>
    /// <param name="request">The request.</param>
    /// <param name="info">The invocation's facts; when null, a new invocation id and the request's <c>traceparent</c>.</param>
    /// <param name="cancellationToken">Signalled when the caller has gone or the host stops.</param>
    /// <returns>The response; never throws for a function's failure.</returns>
    public Task<HttpResponseData> DispatchToAsync(FunctionDefinition function, HttpRequestData request, InvocationInfo? info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(request);
        return AnswerAsync(HttpRouter.MatchOne(function, request.Method, request.Path), request, info, cancellationToken);
    }

    /// <summary>The 413 answer for a body over the adapter's limit, logged once.</summary>
    /// <param name="method">The request method.</param>
    /// <param name="path">The request path.</param>
    /// <param name="limit">The limit in bytes.</param>
    /// <param name="setting">The setting that changes the limit, named in the answer.</param>
    /// <returns>The response.</returns>
    public HttpResponseData TooLarge(string method, string path, long limit, string setting)
    {
        LogTooLarge(_log, method, path, limit);
        return HttpResponseData.Problem(413, "Content Too Large", $"The request body is over the limit of {limit} bytes ({setting}).");
    }

    /// <summary>The 400 answer for a request the adapter cannot read (malformed framing, an unreadable event), logged once.</summary>
    /// <param name="method">The request method, or what the adapter knows of it.</param>
    /// <param name="path">The request path, or what the adapter knows of it.</param>
    /// <param name="reason">What is wrong, for the caller.</param>
    /// <param name="invocationId">The invocation, when one was started.</param>
    /// <returns>The response.</returns>
    public HttpResponseData BadRequest(string method, string path, string reason, string? invocationId = null)
    {
        LogBadRequest(_log, method, path, reason);
        return HttpResponseData.Problem(400, "Bad Request", reason, invocationId: invocationId);
    }

    private async Task<HttpResponseData> AnswerAsync(RouteMatch match, HttpRequestData request, InvocationInfo? info, CancellationToken cancellationToken)
    {
        HttpResponseData response;
        switch (match.Status)
        {
            case RouteMatchStatus.NotFound:
                LogNotFound(_log, request.Method, request.Path);
                response = HttpResponseData.NotFound($"No function is mapped to {request.Method} {request.Path}.{(NotFoundHint is null ? "" : " " + NotFoundHint)}");
                break;
            case RouteMatchStatus.MethodNotAllowed:
                var allow = string.Join(", ", match.AllowedMethods);
                LogNotAllowed(_log, request.Method, request.Path, allow);
                response = HttpResponseData.Problem(405, "Method Not Allowed", $"{request.Path} is mapped for {allow}, not for {request.Method}.");
                response.Headers["Allow"] = allow;
                break;
            default:
                foreach (var (name, value) in match.RouteValues!) request.RouteValues[name] = value;
                response = await InvokeAsync(match.Function!, request, info, cancellationToken).ConfigureAwait(false);
                break;
        }

        if (string.Equals(request.Method, "HEAD", StringComparison.OrdinalIgnoreCase)) response.Body = ReadOnlyMemory<byte>.Empty;
        return response;
    }

    private async Task<HttpResponseData> InvokeAsync(FunctionDefinition function, HttpRequestData request, InvocationInfo? info, CancellationToken cancellationToken)
    {
        info ??= new InvocationInfo { Trace = TraceContext.ParseOrNew(request.Headers["traceparent"], request.Headers["tracestate"]) };
        if (info.InvocationId is null) info = info with { InvocationId = Guid.NewGuid().ToString("N") };
        try
        {
            return await _executor.InvokeHttpAsync(function, request, info, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Failure(function.Name, info.InvocationId);
        }
    }

    /// <summary>The 500 problem for a function that failed; the executor has logged the failure under the same invocation id.</summary>
    /// <param name="functionName">The function.</param>
    /// <param name="invocationId">The invocation, to find it in the logs.</param>
    /// <returns>The response.</returns>
    public static HttpResponseData Failure(string functionName, string invocationId)
    {
        var response = HttpResponseData.Problem(500, "Internal Server Error",
            $"Function '{functionName}' failed. The log has the details under invocation {invocationId}.", invocationId: invocationId);
        Failures.AddOrUpdate(response, FailureMark);
        return response;
    }

    /// <summary>
    /// Whether <paramref name="response"/> is the answer <see cref="Failure"/> gave for a function that failed (not a 500 the
    /// function returned itself), for adapters that tell their platform about a crash, such as GCP's <c>X-Google-Status</c>.
    /// </summary>
    /// <param name="response">A response from this dispatcher.</param>
    /// <returns>True for a failure.</returns>
    public static bool IsFailure(HttpResponseData response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Failures.TryGetValue(response, out _);
    }

    [LoggerMessage(1, LogLevel.Warning, "{Method} {Path} refused: the body is over the limit of {Limit} bytes")]
    private static partial void LogTooLarge(ILogger logger, string method, string path, long limit);

    [LoggerMessage(2, LogLevel.Warning, "{Method} {Path} refused as malformed: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, string reason);

    [LoggerMessage(3, LogLevel.Debug, "{Method} {Path}: no function is mapped (404)")]
    private static partial void LogNotFound(ILogger logger, string method, string path);

    [LoggerMessage(4, LogLevel.Debug, "{Method} {Path}: mapped only for {Allow} (405)")]
    private static partial void LogNotAllowed(ILogger logger, string method, string path, string allow);
}
