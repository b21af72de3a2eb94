using Portable.Hosting.Tests.Fixtures;

namespace Portable.Hosting.Tests;

/// <summary>
/// One table of HTTP requests, sent to the same app through every platform's real entry point: each row must be answered the
/// same way on Local, AWS (the published bootstrap), GCP and Azure, and as the row expects.
/// </summary>
public sealed class HttpAnswerTableTests(TableHosts hosts) : IClassFixture<TableHosts>
{
    private const string Json = "application/json";
    private const string Problem = "application/problem+json";

    public static TheoryData<TableRequest, int, string?, string?> Rows => new()
    {
        { new TableRequest("typed function answers", "Echo", "POST", "/echo", Json, """{"text":"hi"}"""), 200, Json, null },
        { new TableRequest("raw function with a route value", "GetItem", "GET", "/items/42"), 200, "text/plain", null },
        { new TableRequest("a body that is not JSON for a typed function", "Echo", "POST", "/echo", "text/plain", "hi"), 415, Problem, null },
        { new TableRequest("malformed JSON", "Echo", "POST", "/echo", Json, """{"text":"""), 400, Problem, null },
        { new TableRequest("a validation problem", "Echo", "POST", "/echo", Json, """{"text":""}"""), 400, Problem, null },
        { new TableRequest("a body over the limit", "Echo", "POST", "/echo", Json, "{\"text\":\"" + new string('x', TableHosts.BodyLimit) + "\"}"), 413, Problem, null },
        { new TableRequest("a string over Portable:MaxInputStringBytes (1 MiB)", "Echo", "POST", "/echo", Json, "{\"text\":\"" + new string('x', (1024 * 1024) + 1) + "\"}"), 400, Problem, null },
        { new TableRequest("a path no route matches", "GetItem", "GET", "/items/1/2"), 404, Problem, null },
        { new TableRequest("a method the route does not take", "GetItem", "DELETE", "/items/1"), 405, Problem, "GET, HEAD" },
        { new TableRequest("a function that fails", "Boom", "GET", "/boom"), 500, Problem, null },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Row_IsAnsweredTheSame_OnLocalAwsGcpAndAzure(TableRequest row, int status, string? mediaType, string? allow)
    {
        var answers = new Dictionary<string, HttpAnswer>(StringComparer.Ordinal);
        foreach (var platform in TableHosts.Platforms) answers[platform] = await hosts.SendAsync(platform, row);

        foreach (var (platform, answer) in answers)
        {
            Assert.True(status == answer.Status, $"{platform} answered {answer.Status}, not {status}: {answer.Body[..Math.Min(500, answer.Body.Length)]}");
            Assert.Equal(mediaType, answer.MediaType);
            Assert.Equal(allow, answer.Allow);
            if (mediaType == Problem) Assert.Equal(status, answer.ProblemStatus);
            if (status is 400 or 500)
            {
                Assert.False(string.IsNullOrEmpty(answer.InvocationId), $"{platform}'s {status} names no invocation id.");
                Assert.Equal(answer.InvocationId, answer.HeaderInvocationId);
            }

            if (status == 500) Assert.DoesNotContain("a failure detail the caller must not see", answer.Body, StringComparison.Ordinal);
        }

        var shapes = answers.Select(a => $"{a.Key}: {a.Value.Shape}").ToList();
        Assert.True(answers.Values.Select(a => a.Shape).Distinct().Count() == 1, "The platforms answered differently:\n" + string.Join('\n', shapes));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("gcp")]
    [InlineData("azure")]
    public async Task AppSettingsBesideTheExecutable_AreReadOnEveryKestrelHost(string platform)
    {
        var marker = "settings-" + Guid.NewGuid().ToString("N");
        var answer = await hosts.SendAsync(platform, new TableRequest("echo", "Echo", "POST", "/echo", Json, $$"""{"text":"{{marker}}"}"""));
        Assert.Equal(200, answer.Status);

        // appsettings.json turns on Portable.Functions' Debug line "{Function} completed in … ms"; the default level would hide it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!hosts.Output(platform).Any(line => line.Contains("Echo completed in", StringComparison.Ordinal)) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Contains(hosts.Output(platform), line => line.Contains("Echo completed in", StringComparison.Ordinal));
    }
}
