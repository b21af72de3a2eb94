using System.Globalization;
using Cronos;
using Microsoft.Extensions.Logging;
using Portable.Hosting;
using Portable.Local.Storage;

namespace Portable.Local.Dashboard;

/// <summary>
/// The dashboard under <c>/_portable/</c>: its page, script and style, and the JSON it reads beyond the admin API
/// (<c>api/invocations</c>, <c>api/traces/{id}</c>, <c>api/schedules</c>, <c>api/repositories</c>). Nothing here runs before the
/// first such request; the functions, queues and dead letters come from the admin API the local host already has.
/// </summary>
internal sealed partial class DashboardApi(
    PortableApp app,
    FunctionExecutor executor,
    LocalStore store,
    LocalOptions options,
    InvocationRecorder recorder,
    TimeProvider time,
    ILogger<DashboardApi> log)
{
    private const int MaxLimit = 500;

    /// <summary>What the dashboard serves under <c>/_portable/</c>, for the admin API's 404 answer.</summary>
    public const string Routes =
        "The dashboard is GET /_portable/ (with dashboard.js and dashboard.css); its API: GET /_portable/api/invocations[?function=&after=&limit=], " +
        "GET /_portable/api/traces/{traceId}, GET /_portable/api/schedules, POST /_portable/api/schedules/{name}/fire, " +
        "GET /_portable/api/repositories, GET /_portable/api/repositories/{name}/documents[?after=&limit=], GET /_portable/api/repositories/{name}/documents/{id}.";

    /// <summary>The answer to <c>/_portable</c> without its slash: a redirect to <c>/_portable/</c>, so the page's relative paths resolve.</summary>
    public static HttpResponseData ToDashboard()
    {
        var response = new HttpResponseData(308);
        response.Headers["Location"] = "/_portable/";
        return response;
    }

    /// <summary>Answers a dashboard request (<paramref name="parts"/> is the path after <c>/_portable/</c>), or null when the path is not the dashboard's.</summary>
    public async Task<HttpResponseData?> HandleAsync(HttpRequestData request, string[] parts, CancellationToken cancellationToken)
    {
        var get = request.Method is "GET" or "HEAD";
        if (!options.Dashboard && parts is [] or ["index.html" or "dashboard.js" or "dashboard.css"] or ["api", ..])
        {
            return HttpResponseData.NotFound("The dashboard is off (Portable:Local:Dashboard is false); the admin API under /_portable/ still answers.");
        }

        var response = parts switch
        {
            [] when get => DashboardAssets.Serve("", request),
            [var file] when get => DashboardAssets.Serve(file, request),
            ["api", "invocations"] when get => Invocations(request),
            ["api", "traces", var id] when get => Json(recorder.Trace(id), DashboardJsonContext.Default.SpanPage),
            ["api", "schedules"] when get => Json(Schedules(), DashboardJsonContext.Default.IReadOnlyListScheduleView),
            ["api", "schedules", var name, "fire"] when request.Method == "POST" => await FireAsync(Uri.UnescapeDataString(name), cancellationToken).ConfigureAwait(false),
            ["api", "repositories"] when get => Json(Repositories(), DashboardJsonContext.Default.IReadOnlyListRepositoryView),
            ["api", "repositories", var name, "documents"] when get => Documents(Uri.UnescapeDataString(name), request),
            ["api", "repositories", var name, "documents", var id] when get => Document(Uri.UnescapeDataString(name), Uri.UnescapeDataString(id)),
            _ => null,
        };
        return response is null ? null : DashboardAssets.Secure(response);
    }

    private HttpResponseData Invocations(HttpRequestData request)
    {
        if (!TryLong(request.Query["after"], 0, out var after) || !TryLong(request.Query["limit"], 100, out var limit) || limit is < 1 or > MaxLimit)
        {
            return BadQuery($"after is a span number (0 or more) and limit is from 1 to {MaxLimit}.");
        }

        var function = request.Query["function"] is { Length: > 0 } f ? f : null;
        return Json(recorder.Invocations(function, after, (int)limit), DashboardJsonContext.Default.SpanPage);
    }

    private List<ScheduleView> Schedules()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return app.Catalog.Functions
            .Where(f => f.Trigger.Kind == TriggerKind.Schedule)
            .Select(f => new ScheduleView(f.Name, f.Trigger.Cron!,
                CronExpression.Parse(f.Trigger.Cron!).GetOccurrences(now, now.AddYears(1), fromInclusive: false).Take(5).Select(d => new DateTimeOffset(d, TimeSpan.Zero)).ToList(),
                options.RunSchedules))
            .ToList();
    }

    private async Task<HttpResponseData> FireAsync(string name, CancellationToken cancellationToken)
    {
        var function = app.Catalog.Find(name);
        if (function is not { Trigger.Kind: TriggerKind.Schedule })
        {
            return HttpResponseData.NotFound($"No schedule function named '{name}'. GET /_portable/api/schedules lists them.");
        }

        var info = new InvocationInfo { InvocationId = Guid.NewGuid().ToString("N") };
        LogFired(log, function.Name, info.InvocationId);
        var outcome = "success";
        try
        {
            await executor.InvokeScheduleAsync(function, new ScheduledEvent(function.Name, time.GetUtcNow(), function.Trigger.Cron!), info, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = "error"; // the executor logged the failure with its invocation id; the invocations list shows it
        }

        return Json(new FireResult(function.Name, info.InvocationId, outcome), DashboardJsonContext.Default.FireResult);
    }

    private List<RepositoryView> Repositories()
    {
        var counts = store.Run(connection =>
        {
            using var command = connection.Command("SELECT collection, count(*) FROM documents GROUP BY collection");
            using var reader = command.ExecuteReader();
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            while (reader.Read()) result[reader.GetString(0)] = reader.GetInt64(1);
            return result;
        });
        return app.Catalog.Repositories.Select(r => new RepositoryView(r.Name, r.Type, counts.GetValueOrDefault(r.Name))).ToList();
    }

    private HttpResponseData Documents(string repository, HttpRequestData request)
    {
        if (!IsRepository(repository)) return UnknownRepository(repository);
        if (!TryLong(request.Query["limit"], 20, out var limit) || limit is < 1 or > 100) return BadQuery("limit is from 1 to 100.");
        var after = request.Query["after"] ?? "";
        var rows = store.Run(connection =>
        {
            using var command = connection.Command(
                "SELECT id, version, token, updated_at, body FROM documents WHERE collection = $c AND id > $after ORDER BY id LIMIT $n",
                null, ("$c", repository), ("$after", after), ("$n", limit + 1));
            using var reader = command.ExecuteReader();
            var list = new List<DocumentView>();
            while (reader.Read()) list.Add(Read(reader));
            return list;
        });
        var page = rows.Take((int)limit).ToList();
        return Json(new DocumentPage(repository, page, rows.Count > limit ? page[^1].Id : null), DashboardJsonContext.Default.DocumentPage);
    }

    private HttpResponseData Document(string repository, string id)
    {
        if (!IsRepository(repository)) return UnknownRepository(repository);
        var document = store.Run(connection =>
        {
            using var command = connection.Command(
                "SELECT id, version, token, updated_at, body FROM documents WHERE collection = $c AND id = $id", null, ("$c", repository), ("$id", id));
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        });
        return document is null
            ? HttpResponseData.NotFound($"Repository '{repository}' has no document '{id}'.")
            : Json(document, DashboardJsonContext.Default.DocumentView);
    }

    private static DocumentView Read(Microsoft.Data.Sqlite.SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1).ToString(CultureInfo.InvariantCulture) + "." + reader.GetString(2), // as SqliteRepository formats a version
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        reader.GetString(4));

    private bool IsRepository(string name) => app.Catalog.Repositories.Any(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    private HttpResponseData UnknownRepository(string name)
        => HttpResponseData.NotFound($"No repository named '{name}'. The repositories here: {string.Join(", ", app.Catalog.Repositories.Select(r => r.Name))}.");

    private static bool TryLong(string? text, long fallback, out long value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 0);
    }

    private HttpResponseData BadQuery(string detail)
    {
        LogBadQuery(log, detail);
        return HttpResponseData.Problem(400, "Bad Request", detail);
    }

    private static HttpResponseData Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var response = HttpResponseData.Json(200, value, typeInfo);
        response.Headers["Cache-Control"] = "no-store";
        return response;
    }

    [LoggerMessage(1, LogLevel.Information, "Dashboard: {FunctionName} fired by hand (invocation {InvocationId})")]
    private static partial void LogFired(ILogger logger, string functionName, string invocationId);

    [LoggerMessage(2, LogLevel.Warning, "Dashboard: a request was answered 400: {Detail}")]
    private static partial void LogBadQuery(ILogger logger, string detail);
}
