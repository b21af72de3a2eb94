using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Portable.Hosting;

namespace Portable.Local.Dashboard;

/// <summary>
/// Keeps the most recent spans of <see cref="PortableTelemetry.Source"/> (invocations, and the local queue and notifier's
/// send and publish spans) in a bounded ring, for the dashboard. Its <see cref="ActivityListener"/> is the only thing the
/// dashboard starts with the host: adding it costs microseconds, and each span then costs its tags and one small record.
/// Sampling is parent-based always-on, as without a listener: a root is recorded, a child follows its parent's flag, so the
/// trace context sent downstream is unchanged.
/// </summary>
internal sealed class InvocationRecorder : IHostedService, IDisposable
{
    /// <summary>How many spans are kept.</summary>
    public const int DefaultCapacity = 500;

    private readonly SpanRecord?[] _ring;
    private readonly Lock _gate = new();
    private long _last;
    private ActivityListener? _listener;

    public InvocationRecorder(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new SpanRecord?[capacity];
    }

    public int Capacity => _ring.Length;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener ??= Listen();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _listener = null;
    }

    /// <summary>The invocation spans recorded after <paramref name="after"/>, newest first, of one function or all.</summary>
    public SpanPage Invocations(string? function, long after, int limit)
    {
        lock (_gate)
        {
            var spans = Newest()
                .Where(s => s.Seq > after && s.Function is not null && (function is null || string.Equals(s.Function, function, StringComparison.Ordinal)))
                .Take(limit)
                .ToList();
            return new SpanPage(_last, _ring.Length, spans);
        }
    }

    /// <summary>Every kept span of one trace, by start time.</summary>
    public SpanPage Trace(string traceId)
    {
        lock (_gate)
        {
            var spans = Newest().Where(s => string.Equals(s.TraceId, traceId, StringComparison.OrdinalIgnoreCase)).OrderBy(s => s.Start).ThenBy(s => s.Seq).ToList();
            return new SpanPage(_last, _ring.Length, spans);
        }
    }

    /// <summary>Records a finished activity (the listener's callback; tests call it directly).</summary>
    public void Record(Activity activity)
    {
        var function = activity.GetTagItem("faas.invoked_name") as string;
        var status = activity.Status;
        var outcome = status == ActivityStatusCode.Error
            ? (activity.GetTagItem("error.type") as string == "invalid_input" ? "invalid_input" : "error")
            : activity.GetTagItem("http.response.status_code") is int code && code is >= 400 and < 500 ? "invalid_input" : "success";
        lock (_gate)
        {
            var seq = ++_last;
            _ring[(int)((seq - 1) % _ring.Length)] = new SpanRecord(
                seq,
                activity.TraceId.ToHexString(),
                activity.SpanId.ToHexString(),
                activity.ParentSpanId == default ? null : activity.ParentSpanId.ToHexString(),
                activity.DisplayName,
                KindName(activity.Kind),
                new DateTimeOffset(activity.StartTimeUtc, TimeSpan.Zero),
                activity.Duration.TotalMilliseconds,
                function,
                activity.GetTagItem("faas.trigger") as string,
                activity.GetTagItem("messaging.message.delivery_attempt") as int?,
                outcome,
                activity.GetTagItem("faas.invocation_id") as string,
                activity.GetTagItem("messaging.destination.name") as string,
                status == ActivityStatusCode.Error ? activity.StatusDescription ?? activity.GetTagItem("error.type") as string : null);
        }
    }

    private IEnumerable<SpanRecord> Newest()
    {
        for (var seq = _last; seq > 0 && seq > _last - _ring.Length; seq--)
        {
            if (_ring[(int)((seq - 1) % _ring.Length)] is { } span) yield return span;
        }
    }

    private ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PortableTelemetry.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent == default || (options.Parent.TraceFlags & ActivityTraceFlags.Recorded) != 0
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.AllData,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static string KindName(ActivityKind kind) => kind switch
    {
        ActivityKind.Server => "server",
        ActivityKind.Client => "client",
        ActivityKind.Producer => "producer",
        ActivityKind.Consumer => "consumer",
        _ => "internal",
    };
}
