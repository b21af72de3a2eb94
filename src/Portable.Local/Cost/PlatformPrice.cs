namespace Portable.Local.Cost;

/// <summary>
/// One platform's price list, as <see cref="CostModel"/> applies it to one function. Every figure comes from
/// <c>prices.json</c> (embedded) or the user's override file, with the date and source address it was read from.
/// </summary>
internal sealed record PlatformPrice
{
    /// <summary>The platform, as the table and the JSON name it: <c>AWS Lambda (arm64)</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The fee for a million requests (executions, invocations).</summary>
    public required double RequestUsdPerMillion { get; init; }

    /// <summary>The price of one GB-second: a function of 1024 MB running for one second.</summary>
    public required double GbSecondUsd { get; init; }

    /// <summary>The price of one vCPU-second, for a platform that bills CPU apart from memory (Cloud Run); 0 elsewhere.</summary>
    public double VcpuSecondUsd { get; init; }

    /// <summary>The billed duration of one invocation is rounded up to a multiple of this: 1 ms on Lambda, 100 ms on Cloud Run.</summary>
    public double BillingIncrementMs { get; init; } = 1;

    /// <summary>The shortest duration billed for one invocation; 0 when the platform has none.</summary>
    public double MinimumBilledMs { get; init; }

    /// <summary>
    /// The memory sizes the platform offers, smallest first: a function's memory setting is billed as the first size at least as
    /// large (the largest when none is), with that size's vCPU. Empty when any setting is billed as it is (Lambda).
    /// </summary>
    public IReadOnlyList<MemoryTier> MemoryTiers { get; init; } = [];

    /// <summary>Requests a month that the free tier covers.</summary>
    public double FreeRequests { get; init; }

    /// <summary>GB-seconds a month that the free tier covers.</summary>
    public double FreeGbSeconds { get; init; }

    /// <summary>vCPU-seconds a month that the free tier covers.</summary>
    public double FreeVcpuSeconds { get; init; }

    /// <summary>When the figures were read.</summary>
    public string? Date { get; init; }

    /// <summary>Where the figures were read.</summary>
    public string? Source { get; init; }

    /// <summary>What the figures cover and what could not be confirmed.</summary>
    public string? Note { get; init; }
}
