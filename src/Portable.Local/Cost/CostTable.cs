using System.Globalization;

namespace Portable.Local.Cost;

/// <summary>
/// Prints a <see cref="CostDocument"/> as <c>--cost</c> shows it: a heading with the volume, prices and container; a table of what
/// was measured; a table with one row per function and platform (monthly cost, cost per million, break-even volume). Columns are
/// separated by at least two spaces, numbers are invariant, so the output can be read back by a script.
/// </summary>
internal static class CostTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Writes the projection.</summary>
    public static void Write(TextWriter output, string appName, CostDocument cost, string usageFile)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(cost);
        output.WriteLine($"Cost projection for {appName}: {cost.RequestsPerMonth.ToString("N0", Invariant)} requests a month for each function, " +
            $"in {cost.Currency}, prices of {cost.PricesDate}{(cost.PricesFile is null ? "" : $" with {cost.PricesFile} over them")}, " +
            $"free tiers {(cost.FreeTiers ? "deducted" : "not deducted (--free-tiers deducts them)")}.");
        output.WriteLine($"Compared with an always-on container '{cost.Container.Name}' at {Money(cost.Container.MonthlyUsd)} a month. Measured on this machine ({usageFile}); " +
            $"priced at each function's mean duration and its memory setting.");
        if (cost.PeakMemoryMb is { } peak)
            output.WriteLine($"Peak working set of the local host process, all functions together: {peak.ToString("0.0", Invariant)} MB (Process.PeakWorkingSet64).");
        output.WriteLine();

        WriteRows(output,
            ["Function", "Trigger", "Invocations", "p50 ms", "p95 ms", "Mean ms", "Memory MB", "Request B", "Response B"],
            cost.Functions.Select(f => new[]
            {
                f.Name, f.Trigger, f.Invocations.ToString(Invariant), Ms(f.P50Ms), Ms(f.P95Ms), Ms(f.MeanMs), f.MemoryMb.ToString(Invariant),
                Bytes(f.RequestBytes), Bytes(f.ResponseBytes),
            }));
        output.WriteLine();

        var rows = new List<string[]>();
        foreach (var function in cost.Functions)
        {
            foreach (var estimate in function.Estimates)
            {
                var breakEven = cost.BreakEven.FirstOrDefault(b => b.Function == function.Name && b.Platform == estimate.Platform)?.RequestsPerMonth;
                rows.Add([
                    function.Name, estimate.Platform, estimate.BilledMs.ToString("0.###", Invariant), estimate.BilledMemoryMb.ToString(Invariant),
                    estimate.MonthlyUsd.ToString("0.00", Invariant), estimate.PerMillionUsd.ToString("0.0000", Invariant),
                    breakEven is { } n ? Math.Round(n).ToString("N0", Invariant) : "never",
                ]);
            }
        }

        WriteRows(output, ["Function", "Platform", "Billed ms", "Billed MB", "Monthly USD", "Per million USD", "Break-even requests/month"], rows);
        var unmeasured = cost.Functions.Where(f => f.Estimates.Count == 0).Select(f => f.Name).ToList();
        if (unmeasured.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Not priced, never invoked while measured: {string.Join(", ", unmeasured)}.");
        }
    }

    /// <summary>What to do when nothing was measured yet.</summary>
    public static void WriteNothingMeasured(TextWriter output, string appName, string usageFile)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"No measurements of {appName} yet ({usageFile} has none).");
        output.WriteLine("To get some: run the app locally (dotnet run), call its functions (HTTP routes, queue messages, POST /_portable/functions/{name}/invoke),");
        output.WriteLine("stop it with Ctrl+C (it also saves every 30 s), then run again with --cost [--requests N].");
    }

    private static string Ms(double? ms) => ms is { } v ? v.ToString(v < 10 ? "0.00" : "0.0", Invariant) : "-";

    private static string Bytes(double? bytes) => bytes is { } v ? Math.Round(v).ToString(Invariant) : "-";

    private static string Money(double usd) => "$" + usd.ToString("0.00", Invariant);

    private static void WriteRows(TextWriter output, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            var cells = row.Select((cell, i) => i < 2 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
        }
    }
}
