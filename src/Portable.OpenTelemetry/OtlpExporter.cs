using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Portable.Hosting;

namespace Portable.OpenTelemetry;

/// <summary>
/// Portable's OTLP/HTTP exporter: one <see cref="ActivityListener"/> (the chosen sources, sampled by the configured sampler) whose
/// recorded spans are queued when they stop (a bounded queue: when full the span is dropped and counted, the function never waits),
/// one <see cref="MetricCollector"/>, and one background thread that sends a batch of spans every OTEL_BSP_SCHEDULE_DELAY (or as
/// soon as a batch is full) and the metrics every OTEL_METRIC_EXPORT_INTERVAL. <see cref="Flush"/> sends everything now, for a
/// platform that freezes the process between invocations. Started and stopped as a hosted service; failures are logged, never thrown
/// into the functions.
/// </summary>
internal sealed class OtlpExporter : IDisposable
{
    private readonly OtlpSettings _settings;
    private readonly NameFilter _sources;
    private readonly OtlpTransport _transport;
    private readonly ExportLog _log;
    private readonly MetricCollector? _metrics;
    private readonly ConcurrentQueue<Activity> _queue = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _exportLock = new();
    private readonly ProtoWriter _writer = new();
    private readonly List<Activity> _batch = [];
    private ActivityListener? _listener;
    private Thread? _thread;
    private int _queued;
    private long _dropped;
    private long _droppedSinceLog;
    private int _started;

    public OtlpExporter(OtlpSettings settings, NameFilter sources, NameFilter meters, OtlpTransport transport, ExportLog log, TimeProvider time)
    {
        _settings = settings;
        _sources = sources;
        _transport = transport;
        _log = log;
        if (settings.Metrics is not null) _metrics = new MetricCollector(meters, settings.Temporality, time);
    }

    /// <summary>Spans dropped because the queue was full, since the start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Start();
        return Task.CompletedTask;
    }

    /// <summary>Starts the listeners and the export thread (once); a test may leave the thread out and export with <see cref="Flush"/>.</summary>
    public void Start(bool exportThread = true)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) return;
        if (_settings.Traces is not null)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => _sources.Matches(source.Name),
                Sample = Sample,
                SampleUsingParentId = SampleUsingParentId,
                ActivityStopped = Stopped,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        _metrics?.Start();
        if (!exportThread) return;
        using (ExecutionContext.SuppressFlow())
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = "Portable OTLP export" };
            _thread.Start();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _started) == 0) return Task.CompletedTask;
        _listener?.Dispose();
        _stopping.Cancel();
        _wake.Set();
        _thread?.Join(TimeSpan.FromSeconds(5));
        Flush(TimeSpan.FromSeconds(5));
        return Task.CompletedTask;
    }

    /// <summary>Sends every queued span and one metric collection now, within <paramref name="timeout"/>.</summary>
    public bool Flush(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        if (!_exportLock.TryEnter(timeout)) return false;
        try
        {
            var sent = ExportSpans(all: true, deadline, CancellationToken.None);
            sent &= ExportMetrics(deadline, CancellationToken.None);
            return sent;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The caller is the platform's invocation loop: an exporter fault is logged here and never reaches it.
            _log.Failed(_settings.Traces?.Endpoint ?? _settings.Metrics!.Endpoint, "telemetry", "the flush failed unexpectedly: " + e);
            return false;
        }
        finally
        {
            _exportLock.Exit();
        }
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _metrics?.Dispose();
        _stopping.Cancel();
        _wake.Set();
        _transport.Dispose();
    }

    private ActivitySamplingResult Sample(ref ActivityCreationOptions<ActivityContext> options)
    {
        if (ExportSuppression.IsActive) return ActivitySamplingResult.None;
        return _settings.Sampler.ShouldSample(options.Parent, options.TraceId) ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData;
    }

    private ActivitySamplingResult SampleUsingParentId(ref ActivityCreationOptions<string> options)
    {
        if (ExportSuppression.IsActive) return ActivitySamplingResult.None;
        ActivityContext.TryParse(options.Parent, null, out var parent);
        return _settings.Sampler.ShouldSample(parent, options.TraceId) ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.PropagationData;
    }

    private void Stopped(Activity activity)
    {
        if (!activity.Recorded) return;
        if (Interlocked.Increment(ref _queued) > _settings.MaxQueueSize)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _dropped);
            Interlocked.Increment(ref _droppedSinceLog);
            return;
        }

        _queue.Enqueue(activity);
        if (Volatile.Read(ref _queued) == _settings.MaxExportBatchSize) _wake.Set();
    }

    private void Loop()
    {
        using var suppressed = ExportSuppression.Begin();
        var nextSpans = DateTime.UtcNow + _settings.ScheduleDelay;
        var nextMetrics = DateTime.UtcNow + _settings.MetricInterval;
        while (!_stopping.IsCancellationRequested)
        {
            var now = DateTime.UtcNow;
            var due = _settings.Traces is null ? nextMetrics : nextSpans < nextMetrics ? nextSpans : nextMetrics;
            var wait = due - now;
            var woken = wait > TimeSpan.Zero && _wake.WaitOne(wait);
            if (_stopping.IsCancellationRequested) return;
            try
            {
                lock (_exportLock)
                {
                    now = DateTime.UtcNow;
                    if (woken || now >= nextSpans)
                    {
                        ExportSpans(all: !woken, now + _settings.ExportTimeout, _stopping.Token);
                        nextSpans = DateTime.UtcNow + _settings.ScheduleDelay;
                    }

                    if (now >= nextMetrics)
                    {
                        ExportMetrics(now + _settings.MetricTimeout, _stopping.Token);
                        nextMetrics = DateTime.UtcNow + _settings.MetricInterval;
                    }
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _log.Failed(_settings.Traces?.Endpoint ?? _settings.Metrics!.Endpoint, "telemetry", "the exporter failed unexpectedly: " + e);
            }
        }
    }

    /// <summary>Sends queued spans in batches of OTEL_BSP_MAX_EXPORT_BATCH_SIZE: all of them, or only full batches.</summary>
    private bool ExportSpans(bool all, DateTime deadline, CancellationToken cancellationToken)
    {
        var dropped = Interlocked.Exchange(ref _droppedSinceLog, 0);
        if (dropped > 0) _log.Dropped(dropped, _settings.MaxQueueSize);
        if (_settings.Traces is not { } traces) return true;
        var ok = true;
        while (Volatile.Read(ref _queued) > 0 && (all || Volatile.Read(ref _queued) >= _settings.MaxExportBatchSize))
        {
            _batch.Clear();
            while (_batch.Count < _settings.MaxExportBatchSize && _queue.TryDequeue(out var activity))
            {
                Interlocked.Decrement(ref _queued);
                _batch.Add(activity);
            }

            if (_batch.Count == 0) break;
            _writer.Reset();
            TraceEncoder.Encode(_writer, _settings.Resource, _batch);
            var left = deadline - DateTime.UtcNow;
            var what = _batch.Count == 1 ? "1 span" : _batch.Count + " spans";
            ok &= left > TimeSpan.Zero
                ? _transport.Send(traces, what, "spans", _writer.Written, left, cancellationToken)
                : Late(traces, what);
        }

        _batch.Clear();
        return ok;
    }

    private bool ExportMetrics(DateTime deadline, CancellationToken cancellationToken)
    {
        if (_metrics is null || _settings.Metrics is not { } metrics) return true;
        _writer.Reset();
        if (!_metrics.Collect(_writer, _settings.Resource)) return true;
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero
            ? _transport.Send(metrics, "metrics", "data points", _writer.Written, left, cancellationToken)
            : Late(metrics, "metrics");
    }

    private bool Late(OtlpSignalSettings signal, string what)
    {
        _log.Failed(signal.Endpoint, what, "no time was left before the flush's or export's deadline");
        return false;
    }
}
