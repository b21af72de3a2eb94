using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portable.Local.Cost;

namespace Portable.Local.Tests;

public sealed class UsageMeasurementTests
{
    [Fact]
    public void Percentiles_FromTheBoundedHistogram_AreWithinTwoPercentOfTheExactOnes()
    {
        var usage = new FunctionUsage();
        var samples = Enumerable.Range(1, 1000).Select(i => i * 0.37).ToList(); // 0.37 ms to 370 ms
        foreach (var ms in samples) usage.Add(ms);

        Assert.Equal(1000, usage.Invocations);
        Assert.Equal(samples.Average(), usage.MeanMs!.Value, 9);
        Assert.InRange(usage.P50Ms!.Value, 500 * 0.37 * 0.978, 500 * 0.37 * 1.022);
        Assert.InRange(usage.P95Ms!.Value, 950 * 0.37 * 0.978, 950 * 0.37 * 1.022);
        Assert.InRange(usage.Buckets.Count, 1, 16 * 10); // ten doublings at most: bounded, not one entry a sample
    }

    [Fact]
    public void OneDuration_IsItsOwnPercentile_ExactlyBecauseTheMinimumAndMaximumBoundIt()
    {
        var usage = new FunctionUsage();
        usage.Add(12.5);
        usage.Add(12.5);

        Assert.Equal(12.5, usage.P50Ms);
        Assert.Equal(12.5, usage.P95Ms);
    }

    [Fact]
    public void UsageFile_RoundTrips_AndTwoRunsMergeByAddingCounts()
    {
        var folder = Directory.CreateTempSubdirectory("portable-usage-").FullName;
        var first = new UsageDocument { PeakWorkingSetBytes = 50 << 20 };
        first.Functions["f"] = new FunctionUsage();
        first.Functions["f"].Add(10);
        first.Functions["f"].AddPayload(100, 20);
        first.Save(folder);

        var read = UsageDocument.Load(folder);
        var second = new FunctionUsage();
        second.Add(30);
        read.Functions["f"].Merge(second);

        Assert.Equal(2, read.Functions["f"].Invocations);
        Assert.Equal(20, read.Functions["f"].MeanMs);
        Assert.Equal(10, read.Functions["f"].MinMs);
        Assert.Equal(30, read.Functions["f"].MaxMs);
        Assert.Equal(100, read.Functions["f"].RequestBytes);
        Assert.Equal(50 << 20, read.PeakWorkingSetBytes);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void UnreadableUsageFile_StopsWithItsPathAndTheFix()
    {
        var folder = Directory.CreateTempSubdirectory("portable-usage-").FullName;
        File.WriteAllText(Path.Combine(folder, UsageDocument.FileName), "{\"functions\":[1,2]}");

        var e = Assert.Throws<PortableConfigurationException>(() => UsageDocument.Load(folder));

        Assert.Contains(UsageDocument.FileName, e.Message, StringComparison.Ordinal);
        Assert.Contains("Delete it", e.Message, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task LocalHost_MeasuresEachInvocationsDurationAndPayloads_OfItsOwnFunctionsOnly()
    {
        await using var host = await RunningHost.StartAsync();
        await using var other = await RunningHost.StartAsync(); // another host in the same process: its invocations are not ours
        for (var i = 0; i < 3; i++)
            (await host.Client.PostAsJsonAsync("/echo", new Echo("hello"))).EnsureSuccessStatusCode();
        (await other.Client.PostAsJsonAsync("/echo", new Echo("elsewhere"))).EnsureSuccessStatusCode();
        await host.Client.PostAsync("/_portable/queues/jobs/messages", new StringContent("""{"id":"j-1","mode":"ok"}"""));
        await host.WaitUntilAsync(() => host.Get<UsageRecorder>().Snapshot().Functions.GetValueOrDefault("JobHandler")?.Invocations == 1);

        var usage = host.Get<UsageRecorder>().Snapshot();

        var echo = usage.Functions["EchoFunction"];
        Assert.Equal(3, echo.Invocations);
        Assert.Equal(3, echo.Payloads);
        Assert.Equal(3 * """{"text":"hello"}""".Length, echo.RequestBytes);
        Assert.Equal(3 * """{"text":"HELLO"}""".Length, echo.ResponseBytes);
        Assert.True(echo.MinMs > 0 && echo.MaxMs >= echo.MinMs);
        var job = usage.Functions["JobHandler"];
        Assert.Equal("""{"id":"j-1","mode":"ok"}""".Length, job.RequestBytes);
        Assert.Equal(0, job.ResponseBytes);
        Assert.True(usage.PeakWorkingSetBytes > 0);
        Assert.Equal(1, other.Get<UsageRecorder>().Snapshot().Functions["EchoFunction"].Invocations);
    }

    [Fact]
    public async Task CostEndpoint_AnswersTheProjectionAsCamelCaseJson_ForTheVolumeAsked()
    {
        await using var host = await RunningHost.StartAsync();
        for (var i = 0; i < 4; i++)
            (await host.Client.PostAsJsonAsync("/echo", new Echo("hi"))).EnsureSuccessStatusCode();

        var response = await host.Client.GetAsync("/_portable/api/cost?requests=5000000");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cost = (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
        Assert.Equal("USD", cost.GetProperty("currency").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", cost.GetProperty("pricesDate").GetString());
        Assert.Equal("instance-30", cost.GetProperty("container").GetProperty("name").GetString());
        Assert.Equal(30, cost.GetProperty("container").GetProperty("monthlyUsd").GetDouble());
        var echo = cost.GetProperty("functions").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "EchoFunction");
        Assert.Equal(4, echo.GetProperty("invocations").GetInt64());
        Assert.Equal(5_000_000, echo.GetProperty("monthlyRequests").GetInt64());
        Assert.True(echo.GetProperty("p95Ms").GetDouble() >= echo.GetProperty("p50Ms").GetDouble());
        Assert.True(echo.GetProperty("peakMemoryMb").GetDouble() > 0);
        Assert.Equal(Portable.Hosting.FunctionLimits.DefaultMemoryMb, echo.GetProperty("memoryMb").GetInt32());
        var estimates = echo.GetProperty("estimates").EnumerateArray().ToList();
        Assert.Equal(4, estimates.Count);
        var arm = estimates.Single(e => e.GetProperty("platform").GetString() == "AWS Lambda (arm64)");
        Assert.Equal(arm.GetProperty("perMillionUsd").GetDouble() * 5, arm.GetProperty("monthlyUsd").GetDouble(), 0.00001); // both rounded to a millionth
        var ping = cost.GetProperty("functions").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "PingFunction");
        Assert.Equal(0, ping.GetProperty("invocations").GetInt64());
        Assert.Empty(ping.GetProperty("estimates").EnumerateArray());
        var breakEven = cost.GetProperty("breakEven").EnumerateArray().ToList();
        Assert.Equal(4, breakEven.Count); // one function measured, four platforms
        Assert.All(breakEven, b => Assert.True(b.GetProperty("requestsPerMonth").GetDouble() > 0));
        Assert.Equal("EchoFunction", breakEven[0].GetProperty("function").GetString());
    }

    [Theory]
    [InlineData("requests=plenty", "requests is 'plenty'")]
    [InlineData("freeTiers=maybe", "freeTiers is 'maybe'")]
    [InlineData("container=huge", "No container named 'huge'")]
    public async Task CostEndpoint_WithAQueryValueThatIsNotOne_Answers400NamingIt(string query, string detail)
    {
        await using var host = await RunningHost.StartAsync();

        var response = await host.Client.GetAsync("/_portable/api/cost?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CostEndpoint_TakesTheFreeTierSwitchAndTheContainerFromTheQuery()
    {
        await using var host = await RunningHost.StartAsync();
        (await host.Client.PostAsJsonAsync("/echo", new Echo("hi"))).EnsureSuccessStatusCode();

        var paid = await host.Client.GetFromJsonAsync<JsonElement>("/_portable/api/cost?requests=100000");
        var free = await host.Client.GetFromJsonAsync<JsonElement>("/_portable/api/cost?requests=100000&freeTiers=true&container=instance-30");

        Assert.False(paid.GetProperty("freeTiers").GetBoolean());
        Assert.True(free.GetProperty("freeTiers").GetBoolean());
        Assert.All(Estimates(paid), e => Assert.True(e.GetProperty("monthlyUsd").GetDouble() > 0));
        Assert.All(Estimates(free), e => Assert.Equal(0, e.GetProperty("monthlyUsd").GetDouble())); // 100,000 requests fit every free tier
    }

    private static IEnumerable<JsonElement> Estimates(JsonElement cost)
        => cost.GetProperty("functions").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "EchoFunction").GetProperty("estimates").EnumerateArray();
}
