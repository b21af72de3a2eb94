namespace Portable.Local.Cost;

/// <summary>
/// The cost model, pure arithmetic on a <see cref="PlatformPrice"/>: a month of a function on a platform costs
/// <c>requests × per-request fee + GB-seconds × GB-second price + vCPU-seconds × vCPU-second price</c>, where
/// <list type="bullet">
/// <item>GB-seconds are the billed memory in GB (MB / 1024: the literature's 512 MB is 0.5 GB) times the billed duration in seconds,
/// for every request;</item>
/// <item>the billed duration is the measured duration rounded up to the platform's increment (Lambda: 1 ms; Cloud Run: 100 ms),
/// and at least its minimum billed duration where it has one;</item>
/// <item>the billed memory is the function's memory setting, rounded up to the platform's next size where it sells sizes
/// (Cloud Run functions' tiers, Flex Consumption's instance sizes), and that size's vCPU is what vCPU-seconds count;</item>
/// <item>with free tiers on (off by default), each month the free requests, GB-seconds and vCPU-seconds are deducted before pricing,
/// each quantity on its own and never below zero; a free tier is the whole account's, so turning it on for one function flatters it.</item>
/// </list>
/// An always-on container costs its monthly price whatever the traffic; the break-even volume is the monthly request count at which
/// the function costs as much as the container: above it, the container is cheaper.
/// What is not modelled: concurrency sharing an instance (Cloud Run, Flex Consumption), provisioned or always-ready instances,
/// data transfer, storage, API gateways, and volume discounts beyond the first price tier.
/// </summary>
internal static class CostModel
{
    /// <summary>The billed duration of one request that ran for <paramref name="durationMs"/>: rounded up to the increment, at least the minimum.</summary>
    /// <param name="price">The platform.</param>
    /// <param name="durationMs">The measured duration.</param>
    /// <returns>The billed milliseconds.</returns>
    public static double BilledMs(PlatformPrice price, double durationMs)
    {
        ArgumentNullException.ThrowIfNull(price);
        var billed = Math.Max(0, durationMs);
        if (price.BillingIncrementMs > 0)
        {
            // A duration that is a whole number of increments up to float noise (200.0000000001 ms) is not rounded up a whole increment.
            var increments = billed / price.BillingIncrementMs;
            billed = Math.Ceiling(increments - 1e-9) * price.BillingIncrementMs;
        }

        return Math.Max(billed, price.MinimumBilledMs);
    }

    /// <summary>The memory size billed for a function set to <paramref name="memoryMb"/>, and its vCPU.</summary>
    /// <param name="price">The platform.</param>
    /// <param name="memoryMb">The function's memory setting.</param>
    /// <returns>The billed size: the first of the platform's sizes at least as large (the largest when none is), or the setting itself.</returns>
    public static MemoryTier BilledMemory(PlatformPrice price, int memoryMb)
    {
        ArgumentNullException.ThrowIfNull(price);
        if (price.MemoryTiers.Count == 0) return new MemoryTier(memoryMb, 0);
        foreach (var tier in price.MemoryTiers)
        {
            if (tier.MemoryMb >= memoryMb) return tier;
        }

        return price.MemoryTiers[^1];
    }

    /// <summary>What one request costs beyond any free tier.</summary>
    /// <param name="price">The platform.</param>
    /// <param name="memoryMb">The function's memory setting.</param>
    /// <param name="durationMs">The measured duration of one request.</param>
    /// <returns>The cost in the price list's currency.</returns>
    public static double PerRequest(PlatformPrice price, int memoryMb, double durationMs)
    {
        var (gbSeconds, vcpuSeconds, _, _) = Usage(price, memoryMb, durationMs);
        return price.RequestUsdPerMillion / 1_000_000 + gbSeconds * price.GbSecondUsd + vcpuSeconds * price.VcpuSecondUsd;
    }

    /// <summary>What <paramref name="requests"/> requests a month cost.</summary>
    /// <param name="price">The platform.</param>
    /// <param name="memoryMb">The function's memory setting.</param>
    /// <param name="durationMs">The measured duration of one request.</param>
    /// <param name="requests">Requests a month.</param>
    /// <param name="freeTiers">Deduct the platform's monthly free tier.</param>
    /// <returns>The estimate.</returns>
    public static PlatformEstimate Estimate(PlatformPrice price, int memoryMb, double durationMs, double requests, bool freeTiers)
    {
        var (_, _, billedMs, memory) = Usage(price, memoryMb, durationMs);
        return new PlatformEstimate(price.Name, Monthly(price, memoryMb, durationMs, requests, freeTiers),
            PerRequest(price, memoryMb, durationMs) * 1_000_000, billedMs, memory.MemoryMb);
    }

    /// <summary>The monthly cost of <paramref name="requests"/> requests: each billed quantity less its free tier (when asked), times its price.</summary>
    /// <param name="price">The platform.</param>
    /// <param name="memoryMb">The function's memory setting.</param>
    /// <param name="durationMs">The measured duration of one request.</param>
    /// <param name="requests">Requests a month.</param>
    /// <param name="freeTiers">Deduct the platform's monthly free tier.</param>
    /// <returns>The cost.</returns>
    public static double Monthly(PlatformPrice price, int memoryMb, double durationMs, double requests, bool freeTiers)
    {
        var (gbSeconds, vcpuSeconds, _, _) = Usage(price, memoryMb, durationMs);
        requests = Math.Max(0, requests);
        return Billable(requests, freeTiers ? price.FreeRequests : 0) * price.RequestUsdPerMillion / 1_000_000
            + Billable(requests * gbSeconds, freeTiers ? price.FreeGbSeconds : 0) * price.GbSecondUsd
            + Billable(requests * vcpuSeconds, freeTiers ? price.FreeVcpuSeconds : 0) * price.VcpuSecondUsd;
    }

    /// <summary>
    /// The monthly request volume at which the function costs as much as <paramref name="containerMonthlyUsd"/>. Without free tiers it is
    /// the container's price over the cost of one request; with them, the monthly cost is flat then piecewise linear (each free tier
    /// runs out at its own volume), and the crossing is found on the piece where it lies.
    /// </summary>
    /// <param name="price">The platform.</param>
    /// <param name="memoryMb">The function's memory setting.</param>
    /// <param name="durationMs">The measured duration of one request.</param>
    /// <param name="containerMonthlyUsd">The always-on container's monthly price.</param>
    /// <param name="freeTiers">Deduct the platform's monthly free tier.</param>
    /// <returns>Requests a month; null when the function never costs that much (a request costs nothing).</returns>
    public static double? BreakEven(PlatformPrice price, int memoryMb, double durationMs, double containerMonthlyUsd, bool freeTiers)
    {
        var perRequest = PerRequest(price, memoryMb, durationMs);
        if (perRequest <= 0) return null;
        if (containerMonthlyUsd <= 0) return 0;
        if (!freeTiers) return containerMonthlyUsd / perRequest;

        var (gbSeconds, vcpuSeconds, _, _) = Usage(price, memoryMb, durationMs);
        // Where each free tier runs out; between two of these volumes the monthly cost is a straight line.
        var corners = new List<double> { 0, price.FreeRequests };
        if (gbSeconds > 0) corners.Add(price.FreeGbSeconds / gbSeconds);
        if (vcpuSeconds > 0) corners.Add(price.FreeVcpuSeconds / vcpuSeconds);
        corners.Sort();
        var from = 0d;
        var costFrom = 0d;
        foreach (var corner in corners)
        {
            var costAt = Monthly(price, memoryMb, durationMs, corner, freeTiers: true);
            if (costAt >= containerMonthlyUsd && corner > from)
            {
                return from + (containerMonthlyUsd - costFrom) * (corner - from) / (costAt - costFrom);
            }

            from = corner;
            costFrom = costAt;
        }

        // Past every free tier each request costs its full price.
        return from + (containerMonthlyUsd - costFrom) / perRequest;
    }

    private static (double GbSeconds, double VcpuSeconds, double BilledMs, MemoryTier Memory) Usage(PlatformPrice price, int memoryMb, double durationMs)
    {
        ArgumentNullException.ThrowIfNull(price);
        var billedMs = BilledMs(price, durationMs);
        var memory = BilledMemory(price, memoryMb);
        var seconds = billedMs / 1000;
        return (memory.MemoryMb / 1024d * seconds, memory.Vcpu * seconds, billedMs, memory);
    }

    private static double Billable(double quantity, double free) => Math.Max(0, quantity - free);
}
