using System.Globalization;
using System.Text;

namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>The answers of one host: counts per category, RSS before and after, and the first offenders of each failing category.</summary>
internal sealed class FuzzReport(string host)
{
    private readonly List<(FuzzCase Case, Verdict Verdict)> _results = [];

    public string Host { get; } = host;

    public long RssBefore { get; set; }

    public long RssAfter { get; set; }

    public long PeakRss { get; set; }

    public TimeSpan Elapsed { get; set; }

    public IReadOnlyList<(FuzzCase Case, Verdict Verdict)> Results => _results;

    public void Add(FuzzCase input, Verdict verdict)
    {
        lock (_results) _results.Add((input, verdict));
    }

    public int Count(Category category) => _results.Count(r => r.Verdict.Category == category);

    public IEnumerable<(FuzzCase Case, Verdict Verdict)> Failures(Category category) => _results.Where(r => r.Verdict.Category == category);

    /// <summary>Malformed inputs and mutations that did not stay valid: the share of them answered clearly is the measure.</summary>
    public int BadInputs => _results.Count(r => r.Case.Expect != Expect.Valid && r.Verdict.Category is not (Category.Accepted or Category.HandlerFailure));

    public int ClearAnswers => _results.Count(r => r.Case.Expect != Expect.Valid && r.Verdict.Category == Category.Clear);

    public static string TableHeader =>
        "| host | inputs | crash | hang | 5xx | unclear | clear 4xx | accepted | handler failed (valid input) | clear share | RSS before → after (peak) MB | time |\n" +
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";

    public string TableRow => string.Create(CultureInfo.InvariantCulture,
        $"| {Host} | {_results.Count} | {Count(Category.Crash)} | {Count(Category.Hang)} | {Count(Category.ServerError)} | {Count(Category.Unclear)} | " +
        $"{Count(Category.Clear)} | {Count(Category.Accepted)} | {Count(Category.HandlerFailure)} | " +
        $"{(BadInputs == 0 ? 100 : 100.0 * ClearAnswers / BadInputs):0.#}% of {BadInputs} | {Mb(RssBefore)} → {Mb(RssAfter)} ({Mb(PeakRss)}) | {Elapsed.TotalSeconds:0} s |");

    /// <summary>The table, the counts per channel, and the first <paramref name="perCategory"/> offenders of each failing category.</summary>
    public string Describe(int perCategory = 10)
    {
        var text = new StringBuilder();
        text.AppendLine(TableHeader).AppendLine(TableRow).AppendLine();
        text.AppendLine("per channel (inputs: crash/hang/5xx/unclear/clear/accepted/handler failed):");
        foreach (var channel in _results.GroupBy(r => r.Case.Channel).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int C(Category c) => channel.Count(r => r.Verdict.Category == c);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {channel.Key}: {channel.Count()}: {C(Category.Crash)}/{C(Category.Hang)}/{C(Category.ServerError)}/{C(Category.Unclear)}/{C(Category.Clear)}/{C(Category.Accepted)}/{C(Category.HandlerFailure)}");
        }

        foreach (var category in new[] { Category.Crash, Category.Hang, Category.ServerError, Category.Unclear })
        {
            var offenders = Failures(category).ToList();
            if (offenders.Count == 0) continue;
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{category}: {offenders.Count}; the first {Math.Min(perCategory, offenders.Count)} of each kind:");
            foreach (var group in offenders.GroupBy(o => o.Case.Target + " " + Kind(o.Case.Label)).Take(12))
            {
                foreach (var (input, verdict) in group.Take(perCategory))
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  [{input.Target}] {input.Label}  =>  {verdict.Answer}");
                }
            }
        }

        return text.ToString();
    }

    private static string Kind(string label) => label.Split(':')[0];

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture);
}
