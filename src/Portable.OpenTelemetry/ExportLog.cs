using Microsoft.Extensions.Logging;

namespace Portable.OpenTelemetry;

/// <summary>
/// The exporter's log lines (category <c>Portable.OpenTelemetry</c>), rate-limited: a failing collector writes at most one warning
/// per <see cref="Interval"/>, saying how many exports failed since the last one, so a dead collector does not flood the logs.
/// </summary>
internal sealed partial class ExportLog(ILogger logger, TimeProvider time)
{
    public const string Category = "Portable.OpenTelemetry";
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private readonly Lock _lock = new();
    private long _failuresSinceLog;
    private long _lastFailureLog = long.MinValue;
    private long _lastDropLog = long.MinValue;
    private long _droppedSinceLog;

    public ILogger Logger => logger;

    public void Failed(Uri endpoint, string what, string reason)
    {
        long suppressed;
        lock (_lock)
        {
            _failuresSinceLog++;
            var now = time.GetTimestamp();
            if (_lastFailureLog != long.MinValue && time.GetElapsedTime(_lastFailureLog, now) < Interval) return;
            _lastFailureLog = now;
            suppressed = _failuresSinceLog - 1;
            _failuresSinceLog = 0;
        }

        ExportFailed(logger, what, endpoint, reason, suppressed);
    }

    public void Succeeded()
    {
        lock (_lock) _failuresSinceLog = 0;
    }

    public void PartialSuccess(Uri endpoint, string what, long rejected, string itemName, string message)
        => PartiallyRejected(logger, endpoint, rejected, itemName, what, message);

    /// <summary>Counts spans the full queue could not take; logged at most once per interval with the count since the last line.</summary>
    public void Dropped(long count, int queueSize)
    {
        long total;
        lock (_lock)
        {
            _droppedSinceLog += count;
            var now = time.GetTimestamp();
            if (_lastDropLog != long.MinValue && time.GetElapsedTime(_lastDropLog, now) < Interval) return;
            _lastDropLog = now;
            total = _droppedSinceLog;
            _droppedSinceLog = 0;
        }

        QueueFull(logger, total, queueSize);
    }

    [LoggerMessage(1, LogLevel.Warning, "OTLP export of {What} to {Endpoint} failed, the data is dropped: {Reason} ({Suppressed} more failed export(s) since the last such line).")]
    private static partial void ExportFailed(ILogger logger, string what, Uri endpoint, string reason, long suppressed);

    [LoggerMessage(2, LogLevel.Warning, "The OTLP collector at {Endpoint} rejected {Rejected} {ItemName} of {What}: {Message}")]
    private static partial void PartiallyRejected(ILogger logger, Uri endpoint, long rejected, string itemName, string what, string message);

    [LoggerMessage(3, LogLevel.Warning, "The span export queue was full ({QueueSize} spans; OTEL_BSP_MAX_QUEUE_SIZE): {Dropped} span(s) dropped since the last such line. The collector is slow or unreachable, or spans are made faster than OTEL_BSP_SCHEDULE_DELAY sends them.")]
    private static partial void QueueFull(ILogger logger, long dropped, int queueSize);
}
