namespace Portable.Contracts.Otlp;

/// <summary>
/// One metric from one export: an exporter sends each instrument again at every collection (cumulative by default), so the same
/// name arrives many times; the last one holds the running totals.
/// </summary>
public sealed class OtlpMetric
{
    /// <summary>The instrument's name.</summary>
    public required string Name { get; init; }

    /// <summary>The instrument's description.</summary>
    public string Description { get; init; } = "";

    /// <summary>The instrument's unit (for example <c>s</c> or <c>{invocation}</c>).</summary>
    public string Unit { get; init; } = "";

    /// <summary>Which data type carried the points.</summary>
    public OtlpMetricKind Kind { get; init; }

    /// <summary>For a sum: whether it only grows (a counter).</summary>
    public bool IsMonotonic { get; init; }

    /// <summary>For a sum or a histogram: 1 for delta, 2 for cumulative, 0 when unspecified (OTLP's <c>AggregationTemporality</c>).</summary>
    public int Temporality { get; init; }

    /// <summary>The data points, one per attribute set.</summary>
    public IReadOnlyList<OtlpDataPoint> DataPoints { get; init; } = [];

    /// <summary>The instrumentation scope's name: the <see cref="System.Diagnostics.Metrics.Meter"/>'s name.</summary>
    public string ScopeName { get; init; } = "";

    /// <summary>The resource's attributes.</summary>
    public IReadOnlyDictionary<string, object?> Resource { get; init; } = OtlpValues.Empty;

    /// <summary>One line for a failure message.</summary>
    public override string ToString() => $"{Name} ({Kind}, unit '{Unit}', scope '{ScopeName}', {DataPoints.Count} point(s))";
}
