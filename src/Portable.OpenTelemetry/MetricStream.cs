using System.Diagnostics.Metrics;

namespace Portable.OpenTelemetry;

/// <summary>What an instrument aggregates to in OTLP.</summary>
internal enum MetricShape
{
    MonotonicSum,
    Sum,
    Histogram,
    Gauge,
}

/// <summary>
/// The aggregation of one instrument: one series per attribute set (compared whatever the tags' order; exported sorted by key),
/// up to <see cref="CardinalityLimit"/> series, beyond which measurements go to one series with <c>otel.metric.overflow=true</c>, as
/// the SDK does. Sums add (or, for an observable instrument, take the observed total), histograms count into explicit buckets with
/// count, sum, min and max, gauges keep the last value. A lookup of an existing series allocates nothing; the lock is held for
/// the few instructions of an update.
/// </summary>
internal sealed class MetricStream
{
    public const int CardinalityLimit = 2000;
    private static readonly KeyValuePair<string, object?>[] OverflowTags = [new("otel.metric.overflow", true)];
    private readonly Lock _lock = new();
    private readonly Dictionary<int, Series> _byHash = [];
    private readonly List<Series> _series = [];
    private Series? _overflow;

    public MetricStream(Instrument instrument, MetricShape shape, bool isInteger, bool isObservable, bool delta, double[]? bounds)
    {
        Instrument = instrument;
        Shape = shape;
        IsInteger = isInteger;
        IsObservable = isObservable;
        Delta = delta;
        Bounds = bounds ?? [];
    }

    public Instrument Instrument { get; }
    public MetricShape Shape { get; }
    public bool IsInteger { get; }
    public bool IsObservable { get; }
    public bool Delta { get; }
    public double[] Bounds { get; }

    public void Record(double value, long integer, ReadOnlySpan<KeyValuePair<string, object?>> tags, TimeProvider time)
    {
        var hash = Hash(tags);
        lock (_lock)
        {
            var series = Find(hash, tags) ?? Add(hash, tags, time.GetUtcNow().UtcDateTime);
            series.Updated = true;
            switch (Shape)
            {
                case MetricShape.Histogram:
                    series.Count++;
                    series.Sum += value;
                    if (series.Count == 1 || value < series.Min) series.Min = value;
                    if (series.Count == 1 || value > series.Max) series.Max = value;
                    var bucket = Array.BinarySearch(Bounds, value);
                    series.Buckets![bucket < 0 ? ~bucket : bucket]++;
                    break;
                case MetricShape.Gauge:
                    series.Sum = value;
                    series.Integer = integer;
                    break;
                default:
                    if (IsObservable)
                    {
                        series.Sum = value;
                        series.Integer = integer;
                    }
                    else
                    {
                        series.Sum += value;
                        series.Integer += integer;
                    }

                    break;
            }
        }
    }

    /// <summary>Writes this instrument as one Metric (field 2 of ScopeMetrics), or nothing when it has no series to report.</summary>
    public void Collect(ProtoWriter writer, DateTime now)
    {
        lock (_lock)
        {
            var any = false;
            foreach (var s in _series) any |= Reports(s);
            if (_overflow is not null) any |= Reports(_overflow);
            if (!any) return;
            writer.Begin(2);
            writer.String(1, Instrument.Name);
            writer.String(2, Instrument.Description);
            writer.String(3, Instrument.Unit);
            var nanos = OtlpCommon.Nanos(now);
            switch (Shape)
            {
                case MetricShape.Gauge:
                    writer.Begin(5);
                    Points(writer, nanos);
                    writer.End();
                    break;
                case MetricShape.Histogram:
                    writer.Begin(9);
                    Points(writer, nanos);
                    writer.Varint(2, Delta ? 1UL : 2UL);
                    writer.End();
                    break;
                default:
                    writer.Begin(7);
                    Points(writer, nanos);
                    writer.Varint(2, Delta ? 1UL : 2UL);
                    writer.Varint(3, Shape == MetricShape.MonotonicSum ? 1UL : 0UL);
                    writer.End();
                    break;
            }

            writer.End();
            foreach (var s in _series) Reset(s, now);
            if (_overflow is not null) Reset(_overflow, now);
        }
    }

    private bool Reports(Series series) => !Delta || series.Updated || (Shape != MetricShape.Histogram && IsObservable);

    private void Points(ProtoWriter writer, ulong nanos)
    {
        foreach (var s in _series)
        {
            if (Reports(s)) Point(writer, s, nanos);
        }

        if (_overflow is not null && Reports(_overflow)) Point(writer, _overflow, nanos);
    }

    private void Point(ProtoWriter writer, Series series, ulong nanos)
    {
        writer.Begin(1);
        if (Shape == MetricShape.Histogram)
        {
            foreach (var tag in series.Tags) OtlpCommon.KeyValue(writer, 9, tag.Key, tag.Value);
            writer.Fixed64(2, OtlpCommon.Nanos(series.Start));
            writer.Fixed64(3, nanos);
            writer.Fixed64Always(4, (ulong)series.Count);
            writer.Double(5, series.Sum);
            writer.PackedFixed64(6, series.Buckets);
            writer.PackedDouble(7, Bounds);
            if (series.Count > 0)
            {
                writer.Double(11, series.Min);
                writer.Double(12, series.Max);
            }
        }
        else
        {
            foreach (var tag in series.Tags) OtlpCommon.KeyValue(writer, 7, tag.Key, tag.Value);
            if (Shape != MetricShape.Gauge) writer.Fixed64(2, OtlpCommon.Nanos(series.Start));
            writer.Fixed64(3, nanos);
            var value = IsObservable && Delta && Shape != MetricShape.Gauge ? Difference(series) : (series.Sum, series.Integer);
            if (IsInteger) writer.Fixed64Always(6, (ulong)value.Integer);
            else writer.Double(4, value.Sum);
        }

        writer.End();
    }

    /// <summary>An observable counter reports totals; in delta temporality the point is the change since the last collection.</summary>
    private static (double Sum, long Integer) Difference(Series series) => (series.Sum - series.ReportedSum, series.Integer - series.ReportedInteger);

    private void Reset(Series series, DateTime now)
    {
        series.Updated = false;
        if (!Delta) return;
        series.Start = now;
        if (IsObservable)
        {
            series.ReportedSum = series.Sum;
            series.ReportedInteger = series.Integer;
            return;
        }

        if (Shape == MetricShape.Gauge) return;
        series.Sum = 0;
        series.Integer = 0;
        series.Count = 0;
        series.Min = 0;
        series.Max = 0;
        if (series.Buckets is not null) Array.Clear(series.Buckets);
    }

    private Series? Find(int hash, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_byHash.TryGetValue(hash, out var series)) return null;
        for (; series is not null; series = series.Next)
        {
            if (Same(series.Tags, tags)) return series;
        }

        return null;
    }

    private Series Add(int hash, ReadOnlySpan<KeyValuePair<string, object?>> tags, DateTime now)
    {
        if (_series.Count >= CardinalityLimit - 1)
        {
            return _overflow ??= new Series(OverflowTags, now, Shape == MetricShape.Histogram ? Bounds.Length + 1 : 0);
        }

        var sorted = tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var series = new Series(sorted, now, Shape == MetricShape.Histogram ? Bounds.Length + 1 : 0);
        _byHash.TryGetValue(hash, out var first);
        series.Next = first;
        _byHash[hash] = series;
        _series.Add(series);
        return series;
    }

    /// <summary>Order-independent, so the same attributes in another order land in the same series.</summary>
    private static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var tag in tags) hash += HashCode.Combine(tag.Key, tag.Value);
        return hash;
    }

    private static bool Same(KeyValuePair<string, object?>[] sorted, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (sorted.Length != tags.Length) return false;
        foreach (var tag in tags)
        {
            var found = false;
            foreach (var known in sorted)
            {
                if (known.Key == tag.Key)
                {
                    found = Equals(known.Value, tag.Value);
                    break;
                }
            }

            if (!found) return false;
        }

        return true;
    }

    private sealed class Series(KeyValuePair<string, object?>[] tags, DateTime start, int buckets)
    {
        public KeyValuePair<string, object?>[] Tags { get; } = tags;
        public DateTime Start { get; set; } = start;
        public Series? Next { get; set; }
        public bool Updated { get; set; }
        public double Sum { get; set; }
        public long Integer { get; set; }
        public long Count { get; set; }
        public double Min { get; set; }
        public double Max { get; set; }
        public double ReportedSum { get; set; }
        public long ReportedInteger { get; set; }
        public ulong[]? Buckets { get; } = buckets == 0 ? null : new ulong[buckets];
    }
}
