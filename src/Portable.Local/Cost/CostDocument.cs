namespace Portable.Local.Cost;

/// <summary>
/// The cost projection, as <c>GET /_portable/api/cost</c> answers it (camelCase) and <c>--cost</c> prints it: per function what was
/// measured, its memory setting and an estimate per platform, the container compared with, and the break-even volumes.
/// </summary>
/// <param name="PricesDate">The date of the price list.</param>
/// <param name="Currency">The currency of every amount.</param>
/// <param name="RequestsPerMonth">The monthly request volume priced for each function.</param>
/// <param name="FreeTiers">Whether free tiers were deducted.</param>
/// <param name="PricesFile">The user's override file that was merged over the built-in prices, if any.</param>
/// <param name="PeakMemoryMb">The host process's peak working set, all functions together (<see cref="System.Diagnostics.Process.PeakWorkingSet64"/>).</param>
/// <param name="Functions">Each function of the catalog, in its order.</param>
/// <param name="Container">The always-on container compared with.</param>
/// <param name="BreakEven">For each measured function and platform, the volume at which the container costs the same.</param>
internal sealed record CostDocument(
    string PricesDate,
    string Currency,
    long RequestsPerMonth,
    bool FreeTiers,
    string? PricesFile,
    double? PeakMemoryMb,
    IReadOnlyList<CostDocument.FunctionCost> Functions,
    CostDocument.ContainerCost Container,
    IReadOnlyList<CostDocument.BreakEvenPoint> BreakEven)
{
    /// <summary>One function.</summary>
    /// <param name="Name">Its name.</param>
    /// <param name="Trigger">Its trigger, as the catalog writes it.</param>
    /// <param name="Invocations">Invocations measured.</param>
    /// <param name="P50Ms">The median duration measured; null before any.</param>
    /// <param name="P95Ms">The 95th percentile duration measured.</param>
    /// <param name="MeanMs">The mean duration measured: the one priced (the sum of billed time is the count times the mean).</param>
    /// <param name="PeakMemoryMb">The host process's peak working set (the same for every function: they share the process).</param>
    /// <param name="MemoryMb">The memory setting from the catalog (<see cref="Portable.Hosting.FunctionSettings.MemoryMb"/>), which the clouds bill.</param>
    /// <param name="RequestBytes">The mean request or message body measured, in bytes; null when no payload was measured.</param>
    /// <param name="ResponseBytes">The mean response body measured, in bytes.</param>
    /// <param name="MonthlyRequests">The monthly volume priced.</param>
    /// <param name="Estimates">One per platform, amounts to a millionth of the currency; empty before the function was measured.</param>
    internal sealed record FunctionCost(
        string Name,
        string Trigger,
        long Invocations,
        double? P50Ms,
        double? P95Ms,
        double? MeanMs,
        double? PeakMemoryMb,
        int MemoryMb,
        double? RequestBytes,
        double? ResponseBytes,
        long MonthlyRequests,
        IReadOnlyList<PlatformEstimate> Estimates);

    /// <summary>The container.</summary>
    /// <param name="Name">Its name in the price list.</param>
    /// <param name="MonthlyUsd">Its monthly price.</param>
    internal sealed record ContainerCost(string Name, double MonthlyUsd);

    /// <summary>A break-even volume.</summary>
    /// <param name="Function">The function.</param>
    /// <param name="Platform">The platform.</param>
    /// <param name="RequestsPerMonth">Requests a month (whole) at which the function costs as much as the container; null when never.</param>
    internal sealed record BreakEvenPoint(string Function, string Platform, double? RequestsPerMonth);

    /// <summary>Prices what was measured.</summary>
    /// <param name="catalog">The app's functions, with their memory settings.</param>
    /// <param name="usage">What was measured.</param>
    /// <param name="prices">The price list.</param>
    /// <param name="options">The volume, the container and the free-tier switch.</param>
    /// <returns>The projection.</returns>
    /// <exception cref="PortableConfigurationException">The container named in the options is not in the price list.</exception>
    public static CostDocument Build(Portable.Hosting.FunctionCatalog catalog, UsageDocument usage, PriceList prices, CostOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(options);
        var container = prices.Container(options.Container);
        double? peakMb = usage.PeakWorkingSetBytes > 0 ? Math.Round(usage.PeakWorkingSetBytes / (1024d * 1024), 1) : null;
        var functions = new List<FunctionCost>();
        var breakEven = new List<BreakEvenPoint>();
        foreach (var function in catalog.Functions)
        {
            var measured = usage.Functions.GetValueOrDefault(function.Name) ?? new FunctionUsage();
            var memory = function.Settings.MemoryMb;
            var estimates = new List<PlatformEstimate>();
            if (measured.MeanMs is { } mean)
            {
                foreach (var platform in prices.Platforms)
                {
                    var estimate = CostModel.Estimate(platform, memory, mean, options.Requests, options.FreeTiers);
                    estimates.Add(estimate with { MonthlyUsd = Math.Round(estimate.MonthlyUsd, 6), PerMillionUsd = Math.Round(estimate.PerMillionUsd, 6) });
                    var volume = CostModel.BreakEven(platform, memory, mean, container.MonthlyUsd, options.FreeTiers);
                    breakEven.Add(new BreakEvenPoint(function.Name, platform.Name, volume is { } v ? Math.Round(v) : null));
                }
            }

            functions.Add(new FunctionCost(function.Name, function.Trigger.ToString(), measured.Invocations, Ms(measured.P50Ms), Ms(measured.P95Ms), Ms(measured.MeanMs),
                peakMb, memory,
                measured.Payloads == 0 ? null : (double)measured.RequestBytes / measured.Payloads,
                measured.Payloads == 0 ? null : (double)measured.ResponseBytes / measured.Payloads,
                options.Requests, estimates));
        }

        return new CostDocument(prices.PricesDate, prices.Currency, options.Requests, options.FreeTiers, prices.OverrideFile, peakMb, functions,
            new ContainerCost(container.Name, container.MonthlyUsd), breakEven);
    }

    /// <summary>A duration as shown: to the microsecond (the amounts are priced from the exact mean).</summary>
    private static double? Ms(double? ms) => ms is { } v ? Math.Round(v, 3) : null;
}
