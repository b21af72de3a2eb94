namespace Portable.Contracts.Otlp;

/// <summary>Which of OTLP's metric data types a <see cref="OtlpMetric"/> carried.</summary>
public enum OtlpMetricKind
{
    /// <summary>No data was set.</summary>
    None,

    /// <summary>A gauge: the last value of each series.</summary>
    Gauge,

    /// <summary>A sum: counters and up-down counters.</summary>
    Sum,

    /// <summary>An explicit-bucket histogram.</summary>
    Histogram,

    /// <summary>An exponential histogram (count, sum, min and max are decoded; the buckets are not).</summary>
    ExponentialHistogram,

    /// <summary>A summary (count and sum are decoded; the quantiles are not).</summary>
    Summary,
}
