using System.Diagnostics.Metrics;

namespace Portable.OpenTelemetry;

/// <summary>
/// Listens to the chosen meters (one <see cref="MeterListener"/>) and aggregates each instrument in a <see cref="MetricStream"/>:
/// Counter and ObservableCounter as monotonic sums, UpDownCounter and ObservableUpDownCounter as sums, Histogram as an
/// explicit-bucket histogram (the instrument's advised boundaries, else the SDK's defaults), Gauge and ObservableGauge as gauges; every
/// numeric measurement type. Temporality is cumulative unless the preference asks for delta (counters and histograms; lowmemory:
/// synchronous counters and histograms), as the SDK reads OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE. The exporter's own HTTP
/// measurements are ignored (<see cref="ExportSuppression"/>).
/// </summary>
internal sealed class MetricCollector : IDisposable
{
    /// <summary>The SDK's default explicit bucket boundaries.</summary>
    public static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly NameFilter _meters;
    private readonly TemporalityPreference _temporality;
    private readonly TimeProvider _time;
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly List<MetricStream> _streams = [];

    public MetricCollector(NameFilter meters, TemporalityPreference temporality, TimeProvider time)
    {
        _meters = meters;
        _temporality = temporality;
        _time = time;
        _listener.InstrumentPublished = Published;
        _listener.MeasurementsCompleted = (instrument, state) =>
        {
            lock (_lock) _streams.Remove((MetricStream)state!);
        };
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => Record(s, v, v, t));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => Record(s, v, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => Record(s, v, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => Record(s, v, v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => Record(s, v, 0, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, s) => Record(s, v, 0, t));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => Record(s, (double)v, 0, t));
    }

    public void Start() => _listener.Start();

    /// <summary>Reads the observable instruments, then writes every meter's instruments as ScopeMetrics into one ResourceMetrics.</summary>
    /// <returns>False when there was nothing to report.</returns>
    public bool Collect(ProtoWriter writer, IReadOnlyList<KeyValuePair<string, object>> resource)
    {
        _listener.RecordObservableInstruments();
        MetricStream[] streams;
        lock (_lock) streams = [.. _streams];
        if (streams.Length == 0) return false;
        Array.Sort(streams, static (a, b) => string.CompareOrdinal(a.Instrument.Meter.Name, b.Instrument.Meter.Name) is var byName and not 0
            ? byName
            : string.CompareOrdinal(a.Instrument.Meter.Version, b.Instrument.Meter.Version));
        var now = _time.GetUtcNow().UtcDateTime;
        writer.Begin(1); // ExportMetricsServiceRequest.resource_metrics
        OtlpCommon.Resource(writer, 1, resource);
        for (var i = 0; i < streams.Length;)
        {
            var meter = streams[i].Instrument.Meter;
            writer.Begin(2); // ResourceMetrics.scope_metrics
            OtlpCommon.Scope(writer, 1, meter.Name, meter.Version);
            for (; i < streams.Length && streams[i].Instrument.Meter.Name == meter.Name && streams[i].Instrument.Meter.Version == meter.Version; i++)
            {
                streams[i].Collect(writer, now);
            }

            writer.End();
        }

        writer.End();
        return true;
    }

    public void Dispose() => _listener.Dispose();

    private void Published(Instrument instrument, MeterListener listener)
    {
        if (!_meters.Matches(instrument.Meter.Name)) return;
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        var shape = definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) ? MetricShape.MonotonicSum
            : definition == typeof(UpDownCounter<>) || definition == typeof(ObservableUpDownCounter<>) ? MetricShape.Sum
            : definition == typeof(Histogram<>) ? MetricShape.Histogram
            : definition == typeof(Gauge<>) || definition == typeof(ObservableGauge<>) ? MetricShape.Gauge
            : (MetricShape?)null;
        if (shape is null) return;
        var isInteger = instrument is Instrument<byte> or Instrument<short> or Instrument<int> or Instrument<long>
            or ObservableInstrument<byte> or ObservableInstrument<short> or ObservableInstrument<int> or ObservableInstrument<long>;
        var delta = _temporality switch
        {
            TemporalityPreference.Delta => shape is MetricShape.MonotonicSum or MetricShape.Histogram,
            TemporalityPreference.LowMemory => !instrument.IsObservable && shape is MetricShape.MonotonicSum or MetricShape.Histogram,
            _ => false,
        };
        var bounds = shape == MetricShape.Histogram ? Bounds(instrument) : null;
        var stream = new MetricStream(instrument, shape.Value, isInteger, instrument.IsObservable, delta, bounds);
        lock (_lock) _streams.Add(stream);
        listener.EnableMeasurementEvents(instrument, stream);
    }

    private static double[] Bounds(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            _ => null,
        };
        var bounds = advised?.ToArray();
        return bounds is { Length: > 0 } ? bounds : DefaultBounds;
    }

    private void Record(object? state, double value, long integer, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (ExportSuppression.IsActive || state is not MetricStream stream) return;
        if (double.IsNaN(value) || double.IsInfinity(value)) return;
        stream.Record(value, integer, tags, _time);
    }
}
