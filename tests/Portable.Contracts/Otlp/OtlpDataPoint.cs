namespace Portable.Contracts.Otlp;

/// <summary>One data point of a <see cref="OtlpMetric"/>: a number for a sum or gauge, count and sum for a histogram.</summary>
public sealed class OtlpDataPoint
{
    /// <summary>The point's attributes (its series), typed as <see cref="OtlpSpan.Attributes"/> are.</summary>
    public IReadOnlyDictionary<string, object?> Attributes { get; init; } = OtlpValues.Empty;

    /// <summary>When the point was collected.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>When the series started (cumulative) or the interval began (delta).</summary>
    public DateTimeOffset StartTime { get; init; }

    /// <summary>A sum's or gauge's value when the instrument records integers (<c>as_int</c>).</summary>
    public long? LongValue { get; init; }

    /// <summary>A sum's or gauge's value when the instrument records floating point (<c>as_double</c>).</summary>
    public double? DoubleValue { get; init; }

    /// <summary>A sum's or gauge's value whichever way it was sent, or null for a histogram.</summary>
    public double? Value => DoubleValue ?? LongValue;

    /// <summary>A histogram's or summary's count of measurements.</summary>
    public ulong? Count { get; init; }

    /// <summary>A histogram's or summary's sum of measurements, when sent.</summary>
    public double? Sum { get; init; }

    /// <summary>A histogram's smallest measurement, when sent.</summary>
    public double? Min { get; init; }

    /// <summary>A histogram's largest measurement, when sent.</summary>
    public double? Max { get; init; }

    /// <summary>An explicit-bucket histogram's counts, one more than <see cref="ExplicitBounds"/>.</summary>
    public IReadOnlyList<ulong> BucketCounts { get; init; } = [];

    /// <summary>An explicit-bucket histogram's bucket boundaries.</summary>
    public IReadOnlyList<double> ExplicitBounds { get; init; } = [];

    /// <summary>The attribute's value as a string (invariant culture), or null when the point does not have it.</summary>
    /// <param name="key">The attribute's key.</param>
    public string? Attribute(string key) => OtlpValues.Format(Attributes, key);
}
