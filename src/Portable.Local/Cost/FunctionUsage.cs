namespace Portable.Local.Cost;

/// <summary>What the local host measured of one function, as <c>usage.json</c> keeps it: counts, sums and a bounded histogram, never single samples.</summary>
internal sealed class FunctionUsage
{
    /// <summary>Invocations measured (every outcome: a failed invocation is billed too).</summary>
    public long Invocations { get; set; }

    /// <summary>The sum of their durations.</summary>
    public double TotalMs { get; set; }

    /// <summary>The shortest.</summary>
    public double MinMs { get; set; }

    /// <summary>The longest.</summary>
    public double MaxMs { get; set; }

    /// <summary>Invocations by <see cref="DurationHistogram"/> bucket.</summary>
    public Dictionary<int, long> Buckets { get; set; } = [];

    /// <summary>Invocations whose payload sizes were measured (HTTP requests and queue or topic messages; not direct invocations).</summary>
    public long Payloads { get; set; }

    /// <summary>The sum of their request bodies or message bodies, in bytes.</summary>
    public long RequestBytes { get; set; }

    /// <summary>The sum of their response bodies, in bytes (0 for a message).</summary>
    public long ResponseBytes { get; set; }

    /// <summary>The mean duration, or null before the first invocation.</summary>
    public double? MeanMs => Invocations == 0 ? null : TotalMs / Invocations;

    /// <summary>The median duration.</summary>
    public double? P50Ms => DurationHistogram.Percentile(Buckets, 0.50, MinMs, MaxMs);

    /// <summary>The 95th percentile duration.</summary>
    public double? P95Ms => DurationHistogram.Percentile(Buckets, 0.95, MinMs, MaxMs);

    /// <summary>Adds one invocation.</summary>
    public void Add(double ms)
    {
        MinMs = Invocations == 0 ? ms : Math.Min(MinMs, ms);
        MaxMs = Invocations == 0 ? ms : Math.Max(MaxMs, ms);
        Invocations++;
        TotalMs += ms;
        var bucket = DurationHistogram.BucketOf(ms);
        Buckets[bucket] = Buckets.GetValueOrDefault(bucket) + 1;
    }

    /// <summary>Adds one invocation's payload sizes.</summary>
    public void AddPayload(long requestBytes, long responseBytes)
    {
        Payloads++;
        RequestBytes += requestBytes;
        ResponseBytes += responseBytes;
    }

    /// <summary>Adds everything another record counted.</summary>
    public void Merge(FunctionUsage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Invocations > 0)
        {
            MinMs = Invocations == 0 ? other.MinMs : Math.Min(MinMs, other.MinMs);
            MaxMs = Invocations == 0 ? other.MaxMs : Math.Max(MaxMs, other.MaxMs);
        }

        Invocations += other.Invocations;
        TotalMs += other.TotalMs;
        foreach (var (bucket, n) in other.Buckets) Buckets[bucket] = Buckets.GetValueOrDefault(bucket) + n;
        Payloads += other.Payloads;
        RequestBytes += other.RequestBytes;
        ResponseBytes += other.ResponseBytes;
    }

    /// <summary>A copy, for a reader outside the recorder's lock.</summary>
    public FunctionUsage Clone()
    {
        var copy = new FunctionUsage();
        copy.Merge(this);
        return copy;
    }
}
