using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;
using Portable.Local.Dashboard;
using Portable.Local.Blobs;
using Portable.Local.Queues;

namespace Portable.Local.Http;

/// <summary>
/// The local host's one request handler: function routes go through the <see cref="HttpDispatcher"/> every platform uses
/// (404, 405, 413, 415, 400 and 500 answers included), and the host keeps serving.
/// Under <c>/_portable/</c> it serves the catalog, direct invocation, queue statistics and dead letters.
/// The dashboard, cost and object endpoints are taken from the container at their first request, not with this handler (which the
/// host makes before it listens): each brings its own logger and dependencies, whose generic types Native AOT builds at run time,
/// and a function's first answer needs none of them (bench/README.md, 2026-12-01 03:10).
/// </summary>
internal sealed partial class LocalHttpHandler(
    PortableApp app,
    FunctionExecutor executor,
    HttpDispatcher dispatcher,
    LocalQueues queues,
    LocalOptions options,
    Cost.UsageRecorder usage,
    IServiceProvider services,
    ILogger<LocalHttpHandler> log)
{
    private const string AdminPrefix = "/_portable/";

    private Cost.CostEndpoint? _cost;
    private DashboardApi? _dashboard;
    private LocalBlobEndpoint? _blobs;

    private Cost.CostEndpoint CostEndpoint => _cost ??= services.GetRequiredService<Cost.CostEndpoint>();

    private DashboardApi Dashboard => _dashboard ??= services.GetRequiredService<DashboardApi>();

    private LocalBlobEndpoint Blobs => _blobs ??= services.GetRequiredService<LocalBlobEndpoint>();

    public Task HandleAsync(HttpContext context)
    {
        var path = KestrelHttp.PathOf(context);
        // A signed object URL carries its own authority (the endpoint checks it); anything else under /_portable is the admin API.
        var signedObject = path.StartsWith(LocalBlobEndpoint.Prefix, StringComparison.OrdinalIgnoreCase) && LocalBlobEndpoint.IsSigned(context.Request.Query);
        if (!signedObject && path.StartsWith("/_portable", StringComparison.OrdinalIgnoreCase)
            && AdminRequestGuard.Refusal(context.Request, options) is { } refusal)
        {
            return RefuseAsync(context, path, refusal);
        }

        // Objects are streamed, with their own size limit (LocalOptions.MaxObjectUploadBytes), so they skip the body read below.
        if (path.StartsWith(LocalBlobEndpoint.Prefix, StringComparison.OrdinalIgnoreCase)) return Blobs.HandleAsync(context);
        return KestrelHttp.ServeAsync(context, path, dispatcher, options.MaxRequestBodyBytes, "Portable:Local:MaxRequestBodyBytes",
            (request, token) => path.StartsWith(AdminPrefix, StringComparison.OrdinalIgnoreCase)
                ? HandleAdminAsync(request, path[AdminPrefix.Length..], token)
                : path.Equals("/_portable", StringComparison.OrdinalIgnoreCase) ? Task.FromResult(DashboardApi.ToDashboard()) // relative asset paths need the slash
                : usage.MeasureHttpAsync(request, dispatcher.DispatchAsync(request, null, token)));
    }

    private Task RefuseAsync(HttpContext context, string path, string refusal)
    {
        LogRefused(log, context.Request.Method, path, refusal);
        return KestrelHttp.WriteAsync(context, HttpResponseData.Problem(403, "Forbidden", $"Refused: {refusal}."));
    }

    private async Task<HttpResponseData> HandleAdminAsync(HttpRequestData request, string rest, CancellationToken cancellationToken)
    {
        var parts = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = request.Method;
        switch (parts)
        {
            case ["functions"] when method == "GET":
                return Json(200, app.Catalog.ToJson());
            case ["functions", var name, "invoke"] when method == "POST":
                return await InvokeAsync(request, name, cancellationToken).ConfigureAwait(false);
            case ["queues"] when method == "GET":
                return HttpResponseData.Json(200, queues.Stats(), LocalJsonContext.Default.IReadOnlyListQueueStats);
            case ["queues", var queue, "messages"] when method == "POST":
                return Send(Uri.UnescapeDataString(queue), request.Body);
            case ["queues", var queue, "dead-letters"] when method == "GET":
                return HttpResponseData.Json(200, queues.DeadLetters(Uri.UnescapeDataString(queue)), LocalJsonContext.Default.IReadOnlyListDeadLetter);
            case ["queues", var queue, "dead-letters", "redrive"] when method == "POST":
                var name2 = Uri.UnescapeDataString(queue);
                return HttpResponseData.Json(200, queues.Redrive(name2, request.Query["id"]), LocalJsonContext.Default.RedriveResult);
            case ["api", "cost"] when method == "GET":
                return CostEndpoint.Answer(request.Query);
            default:
                return await Dashboard.HandleAsync(request, parts, cancellationToken).ConfigureAwait(false) ?? HttpResponseData.NotFound(
                    "The local admin API has: GET /_portable/functions, POST /_portable/functions/{name}/invoke, GET /_portable/queues, " +
                    "POST /_portable/queues/{queue}/messages, GET /_portable/queues/{queue}/dead-letters, POST /_portable/queues/{queue}/dead-letters/redrive[?id=], GET /_portable/api/cost[?requests=N&container=&freeTiers=], GET|PUT|DELETE /_portable/buckets/{bucket}/objects/{name}. " + DashboardApi.Routes);
        }
    }

    /// <summary>Queues a posted message, if a function consumes its queue: otherwise it would wait forever, so the answer is 404.</summary>
    private HttpResponseData Send(string queue, ReadOnlyMemory<byte> body)
    {
        var consumed = app.Catalog.Functions
            .Where(f => f.Trigger.Kind is TriggerKind.Queue or TriggerKind.Topic)
            .Select(QueueDispatcher.QueueOf)
            .ToList();
        if (!consumed.Contains(queue, StringComparer.Ordinal))
        {
            LogNoConsumer(log, queue);
            return HttpResponseData.NotFound(consumed.Count == 0
                ? $"No function consumes queue '{queue}': this app has no queue or topic functions."
                : $"No function consumes queue '{queue}', so the message would never be delivered. The queues consumed here: {string.Join(", ", consumed)}.");
        }

        if (!IsJson(body)) return HttpResponseData.Problem(400, "Bad Request", "The message must be a JSON document.");
        queues.SendRaw(queue, body.ToArray());
        return new HttpResponseData(202);
    }

    private async Task<HttpResponseData> InvokeAsync(HttpRequestData request, string name, CancellationToken cancellationToken)
    {
        var function = app.Catalog.Find(Uri.UnescapeDataString(name));
        if (function is null)
            return HttpResponseData.NotFound($"No function named '{name}'. GET /_portable/functions lists them.");
        var input = request.Body;
        var info = new InvocationInfo { InvocationId = Guid.NewGuid().ToString("N") };
        try
        {
            var output = await executor.InvokeJsonAsync(function, input, info, cancellationToken).ConfigureAwait(false);
            if (output is null) return new HttpResponseData(204);
            var response = new HttpResponseData(200) { Body = output };
            response.Headers["Content-Type"] = "application/json; charset=utf-8";
            return response;
        }
        catch (InvalidInputException e)
        {
            return HttpResponseData.Problem(400, "Bad Request", e.Message, e.Errors, info.InvocationId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HttpDispatcher.Failure(function.Name, info.InvocationId);
        }
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

    [LoggerMessage(2, LogLevel.Warning, "Refused {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string reason);

    [LoggerMessage(1, LogLevel.Warning, "A message posted to queue {Queue} was refused with 404: no function consumes that queue (GET /_portable/functions lists the triggers)")]
    private static partial void LogNoConsumer(ILogger logger, string queue);
}
