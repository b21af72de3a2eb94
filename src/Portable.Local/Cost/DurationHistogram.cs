namespace Portable.Local.Cost;

/// <summary>
/// The bounded record of durations: log-spaced buckets, sixteen to each doubling (each about 4.4% wide), from 1 µs up; bucket
/// <c>i</c> holds durations in (1 µs × r^(i-1), 1 µs × r^i] with r = 2^(1/16). A day-long invocation is bucket 586, so a function's
/// record never grows past a few hundred counters however many invocations it sees, and two records merge by adding counts.
/// A percentile is read as the geometric middle of its bucket (within 2.2% of the true value), kept inside the exact minimum and maximum.
/// </summary>
internal static class DurationHistogram
{
    private const double SmallestMs = 0.001;
    private const double BucketsPerDoubling = 16;

    /// <summary>The bucket of a duration.</summary>
    public static int BucketOf(double ms)
        => ms <= SmallestMs || double.IsNaN(ms) ? 0 : (int)Math.Ceiling(Math.Log2(ms / SmallestMs) * BucketsPerDoubling - 1e-9);

    /// <summary>The value a bucket stands for: the geometric middle of its range.</summary>
    public static double ValueOf(int bucket) => bucket <= 0 ? SmallestMs : SmallestMs * Math.Pow(2, (bucket - 0.5) / BucketsPerDoubling);

    /// <summary>The <paramref name="quantile"/> (0.5 for the median) of the durations counted in <paramref name="buckets"/>, or null when there are none.</summary>
    public static double? Percentile(IReadOnlyDictionary<int, long> buckets, double quantile, double minMs, double maxMs)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var count = buckets.Values.Sum();
        if (count == 0) return null;
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * count)); // the nearest-rank definition
        var seen = 0L;
        foreach (var (bucket, n) in buckets.OrderBy(b => b.Key))
        {
            seen += n;
            if (seen >= rank) return Math.Clamp(ValueOf(bucket), minMs, Math.Max(minMs, maxMs));
        }

        return maxMs;
    }
}
