using Portable.Fuzz.Tests.Fuzzing;
using Portable.Fuzz.Tests.Hosts;
using Xunit.Abstractions;

namespace Portable.Fuzz.Tests;

/// <summary>
/// Issue #11's first acceptance line: several hundred malformed inputs of each platform's shapes, generated with a fixed seed,
/// sent to each published Native AOT host. Per host: no crash, no hang, no 5xx and no unclear answer for bad input, and the host
/// still serves a valid request at the end. The table and the first offenders of each kind are printed.
/// </summary>
[Collection("hosts")]
public sealed class FuzzTests(ITestOutputHelper output)
{
    [Fact]
    public Task LocalHost_AnswersEveryMalformedInputClearly_AndKeepsServing() => RunAsync(new LocalFuzzHost());

    [Fact]
    public Task AwsBootstrap_AnswersEveryMalformedEventClearly_AndKeepsServing() => RunAsync(new AwsFuzzHost());

    [Fact]
    public Task GcpHost_AnswersEveryMalformedRequestAndEventClearly_AndKeepsServing() => RunAsync(new GcpFuzzHost());

    [Fact]
    public Task AzureCustomHandler_AnswersEveryMalformedRequestAndPayloadClearly_AndKeepsServing() => RunAsync(new AzureFuzzHost());

    private async Task RunAsync(FuzzHost host)
    {
        await using (host)
        {
            await host.StartAsync();
            var report = await host.RunAsync();
            var (serves, answer) = await host.ServesValidRequestAsync();
            output.WriteLine(report.Describe());
            output.WriteLine($"a valid request at the end: {answer}");

            // The harness first: every valid seed must be accepted, or the verdicts on its mutations mean nothing.
            var refusedSeeds = report.Results.Where(r => r.Case.Label.StartsWith("seed:", StringComparison.Ordinal) && r.Verdict.Category != Category.Accepted).ToList();
            Assert.True(refusedSeeds.Count == 0, "seeds not accepted: " + string.Join("; ", refusedSeeds.Select(r => $"[{r.Case.Target}] {r.Case.Label} => {r.Verdict.Answer}")));
            Assert.True(report.Results.Count >= 300, $"only {report.Results.Count} inputs were generated");
            Assert.True(report.Count(Category.Crash) == 0, $"{host.Name}: {report.Count(Category.Crash)} crashes; see the output");
            Assert.True(report.Count(Category.Hang) == 0, $"{host.Name}: {report.Count(Category.Hang)} hangs; see the output");
            Assert.True(report.Count(Category.ServerError) == 0, $"{host.Name}: {report.Count(Category.ServerError)} 5xx for bad input; see the output");
            Assert.True(report.Count(Category.Unclear) == 0, $"{host.Name}: {report.Count(Category.Unclear)} unclear answers for bad input; see the output");
            Assert.True(serves, $"{host.Name} no longer serves a valid request: {answer}");
        }
    }
}
