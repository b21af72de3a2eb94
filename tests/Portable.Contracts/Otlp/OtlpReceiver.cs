using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Portable.Contracts.Otlp;

/// <summary>
/// An OTLP/HTTP receiver on a free loopback port, for tests that point an exporter (in process, or a published host through
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) at <see cref="Endpoint"/> and assert on what arrives. It takes <c>POST /v1/traces</c>,
/// <c>/v1/metrics</c> and <c>/v1/logs</c> as <c>application/x-protobuf</c> or OTLP/JSON (gzip or not) and answers 200 with an empty
/// response message, as a collector does. Anything it cannot take (a malformed body, another path or encoding, a request that is
/// not HTTP) is answered 4xx (500 should the receiver itself fail) and kept in <see cref="Errors"/>, never dropped silently:
/// assert <c>Assert.Empty(otlp.Errors)</c> beside what arrived.
/// </summary>
/// <example>
/// <code>
/// await using var otlp = await OtlpReceiver.StartAsync();
/// // start the host with OTEL_EXPORTER_OTLP_ENDPOINT = otlp.Endpoint, place an order ...
/// var spans = await otlp.WaitForSpansAsync(s => s.Any(x => x.Name == "AuditConfirmation"), TimeSpan.FromSeconds(30));
/// </code>
/// </example>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private const string Protobuf = "application/x-protobuf";
    private const string Json = "application/json";

    private readonly LoopbackHttpServer _server;
    private readonly Lock _lock = new();
    private readonly List<OtlpSpan> _spans = [];
    private readonly List<OtlpMetric> _metrics = [];
    private readonly List<OtlpLogRecord> _logs = [];
    private readonly List<OtlpReceiveError> _errors = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OtlpReceiver() => _server = new LoopbackHttpServer(Handle, (requestLine, reason) =>
        Record(new OtlpReceiveError(requestLine.Split(' ')[0], requestLine.Split(' ').ElementAtOrDefault(1) ?? "", "", 400, "Not a valid HTTP/1.1 request: " + reason)));

    /// <summary>The base address to give an exporter, <c>http://127.0.0.1:PORT</c> (no trailing slash): the value of
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, to which the exporter appends <c>/v1/traces</c> and so on.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Every span received so far, in arrival order (a snapshot).</summary>
    public IReadOnlyList<OtlpSpan> Spans
    {
        get { lock (_lock) return _spans.ToArray(); }
    }

    /// <summary>Every metric received so far, in arrival order (a snapshot); an instrument appears once per export.</summary>
    public IReadOnlyList<OtlpMetric> Metrics
    {
        get { lock (_lock) return _metrics.ToArray(); }
    }

    /// <summary>Every log record received so far, in arrival order (a snapshot).</summary>
    public IReadOnlyList<OtlpLogRecord> Logs
    {
        get { lock (_lock) return _logs.ToArray(); }
    }

    /// <summary>Every request refused so far, with its status and reason (a snapshot).</summary>
    public IReadOnlyList<OtlpReceiveError> Errors
    {
        get { lock (_lock) return _errors.ToArray(); }
    }

    /// <summary>Starts a receiver on a free loopback port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started receiver; dispose it to stop it.</returns>
    public static Task<OtlpReceiver> StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var receiver = new OtlpReceiver();
        receiver._server.Start();
        receiver.Endpoint = "http://127.0.0.1:" + receiver._server.Port.ToString(CultureInfo.InvariantCulture);
        return Task.FromResult(receiver);
    }

    /// <summary>
    /// Waits until <paramref name="until"/> holds for the spans received so far (checked now and after every export), and returns
    /// them. When <paramref name="timeout"/> passes first, throws a <see cref="TimeoutException"/> listing every span that did
    /// arrive, grouped by trace with its parent, and every refused request.
    /// </summary>
    /// <param name="until">The condition, given a snapshot of <see cref="Spans"/>.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The snapshot that satisfied <paramref name="until"/>.</returns>
    public Task<IReadOnlyList<OtlpSpan>> WaitForSpansAsync(Func<IReadOnlyList<OtlpSpan>, bool> until, TimeSpan timeout, CancellationToken cancellationToken = default)
        => WaitAsync(() => Spans, until, timeout, "spans", DescribeSpans, cancellationToken);

    /// <summary>
    /// Waits until <paramref name="until"/> holds for the metrics received so far (checked now and after every export), and
    /// returns them. When <paramref name="timeout"/> passes first, throws a <see cref="TimeoutException"/> listing every metric
    /// that did arrive and every refused request.
    /// </summary>
    /// <param name="until">The condition, given a snapshot of <see cref="Metrics"/>.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The snapshot that satisfied <paramref name="until"/>.</returns>
    public Task<IReadOnlyList<OtlpMetric>> WaitForMetricsAsync(Func<IReadOnlyList<OtlpMetric>, bool> until, TimeSpan timeout, CancellationToken cancellationToken = default)
        => WaitAsync(() => Metrics, until, timeout, "metrics", DescribeMetrics, cancellationToken);

    /// <summary>
    /// Waits until <paramref name="until"/> holds for the log records received so far, and returns them; on timeout throws a
    /// <see cref="TimeoutException"/> listing what did arrive.
    /// </summary>
    /// <param name="until">The condition, given a snapshot of <see cref="Logs"/>.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The snapshot that satisfied <paramref name="until"/>.</returns>
    public Task<IReadOnlyList<OtlpLogRecord>> WaitForLogsAsync(Func<IReadOnlyList<OtlpLogRecord>, bool> until, TimeSpan timeout, CancellationToken cancellationToken = default)
        => WaitAsync(() => Logs, until, timeout, "log records", logs => string.Join(Environment.NewLine, logs.Select(l => "  " + l)), cancellationToken);

    /// <summary>Stops listening.</summary>
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>Spans grouped by trace, each with its parent, one a line: what a failure message shows.</summary>
    /// <param name="spans">The spans to describe.</param>
    /// <returns>The description, or <c>(none)</c>.</returns>
    public static string DescribeSpans(IReadOnlyList<OtlpSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0) return "  (none)";
        var text = new StringBuilder();
        foreach (var trace in spans.GroupBy(s => s.TraceId))
        {
            text.Append("  trace ").AppendLine(trace.Key);
            var names = trace.ToDictionary(s => s.SpanId, s => s.Name, StringComparer.Ordinal);
            foreach (var span in trace)
            {
                var parent = span.IsRoot ? "(root)" : names.TryGetValue(span.ParentSpanId, out var name) ? $"{name} {span.ParentSpanId}" : $"{span.ParentSpanId} (not received)";
                text.Append(CultureInfo.InvariantCulture, $"    {span.Name} [{span.Kind}, {span.Status}] span {span.SpanId} parent {parent} scope '{span.ScopeName}'").AppendLine();
            }
        }

        return text.ToString().TrimEnd();
    }

    private static string DescribeMetrics(IReadOnlyList<OtlpMetric> metrics)
    {
        if (metrics.Count == 0) return "  (none)";

        // The last export of each instrument holds its totals; earlier ones only repeat the name.
        var last = metrics.GroupBy(m => (m.ScopeName, m.Name)).Select(g => g.Last());
        return string.Join(Environment.NewLine, last.Select(m => "  " + m + ": " + string.Join("; ", m.DataPoints.Select(DescribePoint))));
    }

    private static string DescribePoint(OtlpDataPoint point)
    {
        var series = point.Attributes.Count == 0 ? "" : "{" + string.Join(", ", point.Attributes.Select(a => a.Key + "=" + OtlpValues.Format(a.Value))) + "} ";
        return point.Count is { } count
            ? string.Create(CultureInfo.InvariantCulture, $"{series}count {count} sum {point.Sum}")
            : string.Create(CultureInfo.InvariantCulture, $"{series}{point.Value}");
    }

    private async Task<IReadOnlyList<T>> WaitAsync<T>(
        Func<IReadOnlyList<T>> snapshot, Func<IReadOnlyList<T>, bool> until, TimeSpan timeout, string what, Func<IReadOnlyList<T>, string> describe,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(until);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            // The signal is taken before the snapshot, so an export stored in between wakes the wait instead of being missed.
            Task changed;
            lock (_lock) changed = _changed.Task;
            var seen = snapshot();

            if (until(seen)) return seen;
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                seen = snapshot();
                if (until(seen)) return seen;
                var errors = Errors;
                throw new TimeoutException(
                    $"The OTLP receiver at {Endpoint} did not get the expected {what} within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s. " +
                    $"It received {seen.Count} {what}:{Environment.NewLine}{describe(seen)}{Environment.NewLine}" +
                    (errors.Count == 0 ? "No request was refused." : $"Refused requests:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors)));
            }
        }
    }

    private LoopbackResponse Handle(LoopbackRequest request)
    {
        try
        {
            return Decode(request);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in the receiver must show in the test, not vanish with the connection.
            return Refuse(request, 500, "The receiver failed: " + e);
        }
    }

    private LoopbackResponse Decode(LoopbackRequest request)
    {
        var path = request.Path;
        var contentType = request.Header("Content-Type");
        if (path is not ("/v1/traces" or "/v1/metrics" or "/v1/logs"))
            return Refuse(request, 404, $"No OTLP signal at '{path}': the receiver takes /v1/traces, /v1/metrics and /v1/logs.");
        if (request.Method != "POST") return Refuse(request, 405, "OTLP/HTTP exports are POSTed.") with { Allow = "POST" };

        var mediaType = contentType.Split(';')[0].Trim();
        var json = string.Equals(mediaType, Json, StringComparison.OrdinalIgnoreCase);
        if (!json && !string.Equals(mediaType, Protobuf, StringComparison.OrdinalIgnoreCase))
            return Refuse(request, 415, $"Content type '{contentType}' is not supported: the receiver decodes {Protobuf} and {Json} (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf or http/json).");

        var encoding = request.Header("Content-Encoding");
        var gzip = string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase))
            return Refuse(request, 415, $"Content encoding '{encoding}' is not supported: the receiver takes gzip or none.");

        var body = request.Body;
        if (gzip)
        {
            try
            {
                using var unzip = new GZipStream(new MemoryStream(request.Body), CompressionMode.Decompress);
                using var buffer = new MemoryStream();
                unzip.CopyTo(buffer);
                body = buffer.ToArray();
            }
            catch (InvalidDataException e)
            {
                return Refuse(request, 400, $"The body ({request.Body.Length} bytes) is not valid gzip: {e.Message}");
            }
        }

        try
        {
            Store(path, body, json);
        }
        catch (InvalidDataException e)
        {
            return Refuse(request, 400, $"The {(gzip ? "gunzipped " : "")}body ({body.Length} bytes) is not an OTLP {path[4..]} export request: {e.Message}");
        }

        // An empty Export*ServiceResponse (no partial_success): everything was accepted.
        return json ? new LoopbackResponse(200, Json, "{}"u8.ToArray()) : new LoopbackResponse(200, Protobuf, []);
    }

    private void Store(string path, byte[] body, bool json)
    {
        switch (path)
        {
            case "/v1/traces":
                var spans = json ? OtlpJson.ReadTraces(body) : OtlpProtobuf.ReadTraces(body);
                lock (_lock) _spans.AddRange(spans);
                break;
            case "/v1/metrics":
                var metrics = json ? OtlpJson.ReadMetrics(body) : OtlpProtobuf.ReadMetrics(body);
                lock (_lock) _metrics.AddRange(metrics);
                break;
            default:
                var logs = json ? OtlpJson.ReadLogs(body) : OtlpProtobuf.ReadLogs(body);
                lock (_lock) _logs.AddRange(logs);
                break;
        }

        Signal();
    }

    private LoopbackResponse Refuse(LoopbackRequest request, int status, string message)
    {
        Record(new OtlpReceiveError(request.Method, request.Path, request.Header("Content-Type"), status, message));

        // OTLP/HTTP: a refused export carries a google.rpc.Status message (code = 1, message = 2), in the request's encoding;
        // code 3 is INVALID_ARGUMENT, 13 INTERNAL.
        var code = status >= 500 ? 13 : 3;
        if (request.Header("Content-Type").StartsWith(Json, StringComparison.OrdinalIgnoreCase))
            return new LoopbackResponse(status, Json, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["code"] = code, ["message"] = message }));

        var text = Encoding.UTF8.GetBytes(message);
        var answer = new MemoryStream();
        answer.WriteByte(0x08);
        answer.WriteByte((byte)code);
        answer.WriteByte(0x12);
        for (var length = (uint)text.Length; ; length >>= 7)
        {
            if (length < 0x80) { answer.WriteByte((byte)length); break; }
            answer.WriteByte((byte)(length | 0x80));
        }

        answer.Write(text);
        return new LoopbackResponse(status, Protobuf, answer.ToArray());
    }

    private void Record(OtlpReceiveError error)
    {
        lock (_lock) _errors.Add(error);
        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
