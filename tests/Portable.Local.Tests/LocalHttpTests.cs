using Microsoft.Extensions.Configuration;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Portable.Local.Tests;

public sealed class LocalHttpTests
{
    [Fact]
    public async Task TypedRoute_JsonBody_AnswersThroughRealKestrel()
    {
        await using var host = await RunningHost.StartAsync();
        var response = await host.Client.PostAsJsonAsync("/echo", new { text = "hi" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("HI", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString());
        Assert.Equal("127.0.0.1", host.Client.BaseAddress!.Host);
    }

    [Fact]
    public async Task RawRoute_RouteParameter_ReachesFunction()
    {
        await using var host = await RunningHost.StartAsync();
        Assert.Equal("pong a b", await host.Client.GetStringAsync("/ping/a%20b"));
    }

    [Fact]
    public async Task BadInputs_AnswerClearly_AndHostKeepsServing()
    {
        await using var host = await RunningHost.StartAsync(o => o.MaxRequestBodyBytes = 1000);

        var malformed = await host.Client.PostAsync("/echo", new StringContent("{\"text\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType!.MediaType);

        var wrongType = await host.Client.PostAsync("/echo", new StringContent("text=hi", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);

        var tooLarge = await host.Client.PostAsync("/echo", new StringContent($"{{\"text\":\"{new string('x', 2000)}\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        var chunked = new StreamContent(new MemoryStream(new byte[5000]));
        chunked.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await host.Client.SendAsync(request)).StatusCode);

        var unknown = await host.Client.GetAsync("/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("/_portable/functions", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await host.Client.DeleteAsync("/ping/1")).StatusCode);

        var failing = await host.Client.PostAsJsonAsync("/echo", new { text = "boom" });
        Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        Assert.True(failing.Headers.Contains("X-Portable-Invocation-Id"));
        Assert.DoesNotContain("boom", await failing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var stillServing = await host.Client.PostAsJsonAsync("/echo", new { text = "ok" });
        Assert.Equal(HttpStatusCode.OK, stillServing.StatusCode);
    }

    [Fact]
    public async Task Admin_ListsCatalog_AndInvokesFunctionsByHand()
    {
        await using var host = await RunningHost.StartAsync();
        var catalog = await host.Client.GetFromJsonAsync<JsonElement>("/_portable/functions");
        var names = catalog.GetProperty("functions").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(["EchoFunction", "PingFunction", "JobHandler", "FirstSubscriber", "SecondSubscriber", "Tick"], names);

        var typed = await host.Client.PostAsync("/_portable/functions/EchoFunction/invoke", new StringContent("{\"text\":\"x\"}"));
        Assert.Equal("X", (await typed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString());

        var queued = await host.Client.PostAsync("/_portable/functions/JobHandler/invoke", new StringContent("{\"id\":\"j1\",\"mode\":\"ok\"}"));
        Assert.Equal(HttpStatusCode.NoContent, queued.StatusCode);
        Assert.Contains(host.Probe.Deliveries, d => d.Id == "j1");

        var tick = await host.Client.PostAsync("/_portable/functions/Tick/invoke", new StringContent(""));
        Assert.Equal(HttpStatusCode.NoContent, tick.StatusCode);
        Assert.Single(host.Probe.Ticks);

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.PostAsync("/_portable/functions/Nope/invoke", new StringContent("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.PostAsync("/_portable/functions/JobHandler/invoke", new StringContent("not json"))).StatusCode);
    }

    [Fact]
    public void Options_MalformedSetting_FailsAtStartNamingIt()
    {
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Portable:Local:MaxDeliveryAttempts"] = "many" })
            .Build();
        var error = Assert.Throws<PortableConfigurationException>(() => LocalOptions.FromConfiguration(config));
        Assert.Contains("Portable:Local:MaxDeliveryAttempts", error.Message, StringComparison.Ordinal);

        var zero = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Portable:Local:MaxConcurrency"] = "0" })
            .Build();
        Assert.Contains("MaxConcurrency", Assert.Throws<PortableConfigurationException>(() => LocalOptions.FromConfiguration(zero)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_PortAndDataDirVariables_TakePrecedence()
    {
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PORT"] = "9123", ["PORTABLE_DATA_DIR"] = "/tmp/x", ["Portable:Local:Port"] = "1" })
            .Build();
        var options = LocalOptions.FromConfiguration(config);
        Assert.Equal(9123, options.Port);
        Assert.Equal("/tmp/x", options.DataDirectory);
    }
}
