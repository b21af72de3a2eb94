using System.Diagnostics;
using Portable.Fuzz.Tests.Fixtures;

namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>
/// A published host under fuzz: started the way its platform starts it, sent generated cases one at a time (so a crash is
/// pinned on its input), restarted when it crashed, and judged. Subclasses know the platform's shapes.
/// </summary>
internal abstract class FuzzHost : IAsyncDisposable
{
    /// <summary>How long an answer may take before it counts as a hang.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public abstract string Name { get; }

    /// <summary>The host's processes, by target (one for Local and Azure; one per function for GCP and AWS).</summary>
    public abstract IReadOnlyDictionary<string, HostProcess> Processes { get; }

    public abstract Task StartAsync();

    /// <summary>The cases, generated with the fixed seed.</summary>
    public abstract IReadOnlyList<FuzzCase> Generate(Mutator mutator);

    public abstract Task<Verdict> SendAsync(FuzzCase input);

    /// <summary>Re-judges what can only be judged later (a local queue message is dead-lettered after its 202).</summary>
    public virtual Task SettleAsync(List<(FuzzCase Case, Verdict Verdict)> results) => Task.CompletedTask;

    /// <summary>Whether the host still answers a valid request as it should; the answer, for the message.</summary>
    public abstract Task<(bool Ok, string Answer)> ServesValidRequestAsync();

    /// <summary>Starts a crashed target again so the run can go on.</summary>
    protected abstract Task RestartAsync(string target);

    public long TotalRss() => Processes.Values.Where(p => !p.HasExited).Sum(p => p.Memory("VmRSS"));

    public long MaxPeak() => Processes.Values.Where(p => !p.HasExited).Select(p => p.Memory("VmHWM")).DefaultIfEmpty().Max();

    /// <summary>Sends every case and judges it; the report has the counts, the RSS before and after, and the offenders.</summary>
    public async Task<FuzzReport> RunAsync(int seed = Mutator.FixedSeed)
    {
        var cases = Generate(new Mutator(seed));
        var report = new FuzzReport(Name) { RssBefore = TotalRss() };
        var clock = Stopwatch.StartNew();
        var results = new List<(FuzzCase Case, Verdict Verdict)>(cases.Count);
        foreach (var input in cases)
        {
            var verdict = await SendAsync(input);
            if (verdict.Category is not Category.Crash && Processes.TryGetValue(input.Target, out var process) && process.HasExited)
            {
                verdict = new Verdict(Category.Crash, $"the process {process.ExitDescription} after answering: {verdict.Answer}");
            }

            results.Add((input, verdict));
            // A crashed target is started again; so is a hung one, so that one stuck invocation does not make every later one hang.
            if (verdict.Category is Category.Crash or Category.Hang) await RestartAsync(input.Target);
        }

        await SettleAsync(results);
        foreach (var (input, verdict) in results) report.Add(input, verdict);
        report.Elapsed = clock.Elapsed;
        report.RssAfter = TotalRss();
        report.PeakRss = MaxPeak();
        return report;
    }

    public abstract ValueTask DisposeAsync();
}
