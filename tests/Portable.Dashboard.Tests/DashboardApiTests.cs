using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Portable.Dashboard.Tests;

/// <summary>The dashboard's files and JSON endpoints over plain HTTP, on the real Orders sample.</summary>
public sealed class DashboardApiTests : IAsyncLifetime
{
    private OrdersHost _host = null!;

    public async Task InitializeAsync() => _host = await OrdersHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("_portable/", "text/html")]
    [InlineData("_portable/dashboard.js", "text/javascript")]
    [InlineData("_portable/dashboard.css", "text/css")]
    public async Task Asset_IsServedWithItsContentTypeAnEtagAndTheSecurityHeaders(string path, string mediaType)
    {
        using var response = await _host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl!.NoCache);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 500);
    }

    [Fact]
    public async Task Asset_RequestedAgainWithItsEtag_Answers304WithoutABody()
    {
        using var first = await _host.Client.GetAsync("_portable/dashboard.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, "_portable/dashboard.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await _host.Client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, response.Headers.ETag);
    }

    [Fact]
    public async Task PathWithoutItsSlash_RedirectsToTheDashboard()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.Address };

        using var response = await client.GetAsync("_portable");

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal("/_portable/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Page_LoadsNoScriptOrStyleFromElsewhereAndHasNoInlineScript()
    {
        var html = await _host.Client.GetStringAsync("_portable/");

        Assert.Contains("<script src=\"dashboard.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(html, "<script"));
    }

    [Fact]
    public async Task Invocations_AfterPlaceOrder_ListTheThreeFunctionsOfOneTraceWithTriggerOutcomeAndAttempt()
    {
        await _host.PlaceOrderAsync();

        var spans = await WaitForInvocationsAsync(3);

        var byFunction = spans.ToDictionary(s => s.GetProperty("function").GetString()!);
        Assert.Equal(["AuditConfirmation", "PlaceOrder", "SendConfirmation"], byFunction.Keys.Order(StringComparer.Ordinal));
        Assert.Single(spans.Select(s => s.GetProperty("traceId").GetString()).Distinct());
        Assert.All(spans, s => Assert.Equal("success", s.GetProperty("outcome").GetString()));
        Assert.Equal("http", byFunction["PlaceOrder"].GetProperty("trigger").GetString());
        Assert.Equal("pubsub", byFunction["SendConfirmation"].GetProperty("trigger").GetString());
        Assert.Equal(1, byFunction["SendConfirmation"].GetProperty("attempt").GetInt32());
        Assert.True(byFunction["PlaceOrder"].GetProperty("durationMs").GetDouble() > 0);
    }

    [Fact]
    public async Task Trace_OfAnOrder_HoldsTheInvocationsAndTheSendAndPublishSpans_ParentedInOrder()
    {
        await _host.PlaceOrderAsync();
        var spans = await WaitForInvocationsAsync(3);
        var traceId = spans[0].GetProperty("traceId").GetString();

        using var trace = JsonDocument.Parse(await _host.Client.GetStringAsync($"_portable/api/traces/{traceId}"));

        var all = trace.RootElement.GetProperty("spans").EnumerateArray().ToList();
        var names = all.Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["PlaceOrder", "send order-placed", "SendConfirmation", "publish order-confirmations", "AuditConfirmation"], names);
        for (var i = 1; i < all.Count; i++)
        {
            Assert.Equal(all[i - 1].GetProperty("spanId").GetString(), all[i].GetProperty("parentSpanId").GetString());
        }
    }

    [Fact]
    public async Task Invocations_FilteredByFunction_HoldOnlyThatFunction_AndAfterTheLastSeenHoldNothingNew()
    {
        await _host.PlaceOrderAsync();
        await WaitForInvocationsAsync(3);

        using var filtered = JsonDocument.Parse(await _host.Client.GetStringAsync("_portable/api/invocations?function=SendConfirmation"));
        var last = filtered.RootElement.GetProperty("last").GetInt64();
        using var after = JsonDocument.Parse(await _host.Client.GetStringAsync($"_portable/api/invocations?after={last}"));

        var only = Assert.Single(filtered.RootElement.GetProperty("spans").EnumerateArray());
        Assert.Equal("SendConfirmation", only.GetProperty("function").GetString());
        Assert.Empty(after.RootElement.GetProperty("spans").EnumerateArray());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=501")]
    [InlineData("after=-1")]
    [InlineData("after=x")]
    public async Task Invocations_WithAMalformedQuery_Answer400WithAProblem(string query)
    {
        using var response = await _host.Client.GetAsync("_portable/api/invocations?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("limit is from 1 to 500", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedules_ListExpireUnconfirmedWithItsNextFiveOccurrencesFiveMinutesApart()
    {
        using var document = JsonDocument.Parse(await _host.Client.GetStringAsync("_portable/api/schedules"));

        var schedule = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("ExpireUnconfirmed", schedule.GetProperty("function").GetString());
        Assert.Equal("*/5 * * * *", schedule.GetProperty("cron").GetString());
        Assert.False(schedule.GetProperty("running").GetBoolean());
        var next = schedule.GetProperty("next").EnumerateArray().Select(e => e.GetDateTimeOffset()).ToList();
        Assert.Equal(5, next.Count);
        Assert.True(next[0] > DateTimeOffset.UtcNow.AddSeconds(-1) && next[0] <= DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.All(next.Zip(next.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(5), pair.Second - pair.First));
        Assert.All(next, n => Assert.Equal(0, n.Minute % 5));
    }

    [Fact]
    public async Task FireNow_RunsTheScheduleFunction_AndItsInvocationIsListed()
    {
        using var response = await _host.Client.PostAsync("_portable/api/schedules/ExpireUnconfirmed/fire", null);
        using var fired = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", fired.RootElement.GetProperty("outcome").GetString());
        var spans = await WaitForInvocationsAsync(1);
        Assert.Equal("ExpireUnconfirmed", spans[0].GetProperty("function").GetString());
        Assert.Equal("timer", spans[0].GetProperty("trigger").GetString());
        Assert.Equal(fired.RootElement.GetProperty("invocationId").GetString(), spans[0].GetProperty("invocationId").GetString());
    }

    [Theory]
    [InlineData("PlaceOrder")]
    [InlineData("NoSuchFunction")]
    public async Task FireNow_OfAFunctionThatIsNoSchedule_Answers404NamingTheList(string name)
    {
        using var response = await _host.Client.PostAsync($"_portable/api/schedules/{name}/fire", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("GET /_portable/api/schedules lists them", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repositories_ListTheCatalogsRepositoriesWithCounts_PageTheDocumentsAndReadOne()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add(await _host.PlaceOrderAsync("c-" + i));
        ids.Sort(StringComparer.Ordinal);

        using var repositories = JsonDocument.Parse(await _host.Client.GetStringAsync("_portable/api/repositories"));
        using var first = JsonDocument.Parse(await _host.Client.GetStringAsync("_portable/api/repositories/orders/documents?limit=2"));
        var next = first.RootElement.GetProperty("next").GetString();
        using var second = JsonDocument.Parse(await _host.Client.GetStringAsync($"_portable/api/repositories/orders/documents?limit=2&after={next}"));
        using var one = JsonDocument.Parse(await _host.Client.GetStringAsync($"_portable/api/repositories/orders/documents/{ids[1]}"));

        var orders = repositories.RootElement.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "orders");
        Assert.Equal(3, orders.GetProperty("count").GetInt64());
        Assert.Contains(repositories.RootElement.EnumerateArray(), r => r.GetProperty("name").GetString() == "audits");
        Assert.Equal(ids[..2], first.RootElement.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.Equal(ids[1], next);
        Assert.Equal([ids[2]], second.RootElement.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("next").ValueKind);
        using var body = JsonDocument.Parse(one.RootElement.GetProperty("body").GetString()!);
        Assert.Equal(ids[1], body.RootElement.GetProperty("id").GetString());
        Assert.Matches(@"^\d+\.", one.RootElement.GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("_portable/api/repositories/nope/documents", "No repository named 'nope'. The repositories here: orders, audits.")]
    [InlineData("_portable/api/repositories/orders/documents/o-none", "Repository 'orders' has no document 'o-none'.")]
    public async Task Repositories_UnknownRepositoryOrDocument_Answer404SayingWhat(string path, string detail)
    {
        using var response = await _host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(detail, problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnknownAdminPath_Answers404ListingTheDashboardRoutesToo()
    {
        using var response = await _host.Client.GetAsync("_portable/api/nothing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("GET /_portable/functions", body, StringComparison.Ordinal);
        Assert.Contains("GET /_portable/api/traces/{traceId}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashboardOff_AnswersItsPaths404_RecordsNothing_AndTheAdminApiStillAnswers()
    {
        await using var host = await OrdersHost.StartAsync(o => o.Dashboard = false);
        await host.PlaceOrderAsync();

        using var page = await host.Client.GetAsync("_portable/");
        using var api = await host.Client.GetAsync("_portable/api/invocations");
        using var functions = await host.Client.GetAsync("_portable/functions");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("Portable:Local:Dashboard is false", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, functions.StatusCode);
    }

    private async Task<List<JsonElement>> WaitForInvocationsAsync(int count)
    {
        List<JsonElement> spans = [];
        await OrdersHost.WaitUntilAsync(async () =>
        {
            using var document = JsonDocument.Parse(await _host.Client.GetStringAsync("_portable/api/invocations"));
            spans = document.RootElement.GetProperty("spans").EnumerateArray().Select(e => e.Clone()).ToList();
            return spans.Count >= count;
        }, $"{count} invocations");
        return spans;
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
