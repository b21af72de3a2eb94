using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portable.Local.Queues;

namespace Portable.Local.Tests;

/// <summary>
/// The dashboard and the admin API under <c>/_portable/</c> serve only requests addressed to this machine, and take changes only
/// from the dashboard itself or from clients that are not browsers (issue #16: a page in the same browser could post to
/// 127.0.0.1, or read it by DNS rebinding).
/// </summary>
public sealed class AdminRequestGuardTests
{
    private static HttpRequestMessage Post(string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("""{"id":"j-1","mode":"ok"}""", Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static async Task<string> DetailOf(HttpResponseMessage response)
        => (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:8080")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("localhost.evil.example")]
    [InlineData("2130706433")]
    public async Task ARequestAddressedToAnotherName_IsRefusedWith403_AndALogLine_AndNothingChanges(string host)
    {
        var logs = new ListLogger();
        await using var running = await RunningHost.StartAsync(web: w => w.Logging.AddProvider(logs));

        var read = new HttpRequestMessage(HttpMethod.Get, "/_portable/queues");
        read.Headers.Host = host;
        var readAnswer = await running.Client.SendAsync(read);
        var send = Post("/_portable/queues/jobs/messages");
        send.Headers.Host = host;
        var sendAnswer = await running.Client.SendAsync(send);

        Assert.Equal(HttpStatusCode.Forbidden, readAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sendAnswer.StatusCode);
        Assert.Contains("AllowedHosts", await DetailOf(sendAnswer), StringComparison.Ordinal);
        Assert.Equal(0, running.Get<LocalQueues>().PendingCount());
        Assert.Equal(0, running.Probe.Completed);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("Refused POST /_portable/queues/jobs/messages", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:8080")]
    [InlineData("app.localhost:8080")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("127.1.2.3")]
    [InlineData("[::1]:8080")]
    public async Task LoopbackNames_AreServed(string host)
    {
        await using var running = await RunningHost.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/_portable/functions");
        request.Headers.Host = host;

        var response = await running.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ANameInAllowedHosts_IsServed_FromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portable:Local:AllowedHosts"] = "dev.example.test; other.example.test",
        }).Build();
        var allowed = LocalOptions.FromConfiguration(configuration).AllowedHosts;
        await using var running = await RunningHost.StartAsync(options: o => { foreach (var h in allowed) o.AllowedHosts.Add(h); });
        var request = new HttpRequestMessage(HttpMethod.Get, "/_portable/functions");
        request.Headers.Host = "other.example.test:443";

        var response = await running.Client.SendAsync(request);

        Assert.Equal(["dev.example.test", "other.example.test"], allowed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Origin", "http://127.0.0.1:1")]
    public async Task AChangeFromAnotherSite_IsRefusedWith403_AndIsNotDelivered(string header, string value)
    {
        await using var running = await RunningHost.StartAsync();

        var response = await running.Client.SendAsync(Post("/_portable/queues/jobs/messages", (header, value)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("may not change the local host", await DetailOf(response), StringComparison.Ordinal);
        Assert.Equal(0, running.Get<LocalQueues>().PendingCount());
        Assert.Equal(0, running.Probe.Completed);
    }

    [Fact]
    public async Task SignatureParameters_OnAnAdminPathThatIsNoObject_DoNotSkipTheChecks()
    {
        await using var running = await RunningHost.StartAsync();

        var response = await running.Client.SendAsync(Post("/_portable/queues/jobs/messages?sig=x&expires=1&access=write", ("Origin", "http://evil.example")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, running.Get<LocalQueues>().PendingCount());
    }

    [Fact]
    public async Task AChangeFromTheDashboardsOwnOrigin_OrFromAClientThatIsNoBrowser_IsServed()
    {
        await using var running = await RunningHost.StartAsync();
        var origin = running.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        var sameOrigin = await running.Client.SendAsync(Post("/_portable/queues/jobs/messages", ("Sec-Fetch-Site", "same-origin"), ("Origin", origin)));
        var originOnly = await running.Client.SendAsync(Post("/_portable/queues/jobs/messages", ("Origin", origin)));
        var typedByHand = await running.Client.SendAsync(Post("/_portable/queues/jobs/messages", ("Sec-Fetch-Site", "none")));
        var curl = await running.Client.SendAsync(Post("/_portable/queues/jobs/messages"));

        Assert.All([sameOrigin, originOnly, typedByHand, curl], r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        await running.WaitUntilAsync(() => running.Probe.Completed == 4);
    }

    [Fact]
    public async Task AFunctionRoute_IsNotTheAdminAPIs_AndIsNotChecked()
    {
        await using var running = await RunningHost.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new StringContent("""{"text":"hi"}""", Encoding.UTF8, "application/json") };
        request.Headers.Host = "api.example.test";
        request.Headers.TryAddWithoutValidation("Origin", "http://evil.example");

        var response = await running.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
