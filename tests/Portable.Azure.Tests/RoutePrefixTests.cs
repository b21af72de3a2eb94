using System.Net;
using System.Text;
using System.Text.Json;

namespace Portable.Azure.Tests;

/// <summary>
/// The route prefix on the running handler: empty by default (host.json <c>routePrefix: ""</c>, so a route is the same URL on every
/// cloud), or one segment such as <c>api</c> when <c>Portable:Azure:RoutePrefix</c> says so.
/// </summary>
public sealed class RoutePrefixTests
{
    private static readonly Dictionary<string, string?> ApiPrefix = new() { ["Portable:Azure:RoutePrefix"] = "api" };

    [Fact]
    public void RoutePrefix_IsEmptyByDefault()
        => Assert.Equal("", new AzureOptions().NormalizedRoutePrefix);

    [Fact]
    public async Task ForwardedRequest_WithTheDefaultPrefix_IsServedAtTheRouteItself_AndNotUnderApi()
    {
        var probe = new Probe();
        await using var handler = await RunningHandler.StartAsync(TestApp.Configure(probe));

        var atRoute = await handler.Client.PostAsync("/order", new StringContent("""{"id":1}""", Encoding.UTF8, "application/json"));
        var underApi = await handler.Client.PostAsync("/api/order", new StringContent("""{"id":1}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, atRoute.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, underApi.StatusCode);
    }

    [Fact]
    public async Task ForwardedRequest_WithPrefixApiConfigured_IsStrippedOfIt()
    {
        var probe = new Probe();
        await using var handler = await RunningHandler.StartAsync(TestApp.Configure(probe), ApiPrefix);

        var response = await handler.Client.PostAsync("/api/order?source=web", new StringContent("""{"id":1}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""POST /order source=web ct=application/json body={"id":1}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task InvocationOfAnUnknownFunction_WithPrefixApiOrTheDefaultEmptyOne_Answers404WithALogsLine(bool apiPrefix)
    {
        var probe = new Probe();
        await using var handler = apiPrefix
            ? await RunningHandler.StartAsync(TestApp.Configure(probe), ApiPrefix)
            : await RunningHandler.StartAsync(TestApp.Configure(probe));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Nope") { Content = new StringContent("""{"Data":{},"Metadata":{}}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", "inv-nope");

        using var response = await handler.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("which this app does not have", Assert.Single(body.RootElement.GetProperty("Logs").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Empty(probe.Seen);
    }

    [Fact]
    public async Task ForwardedPost_ToAnUnknownRoute_WithoutTheHostsInvocationHeaders_Answers404Problem()
    {
        var probe = new Probe();
        await using var handler = await RunningHandler.StartAsync(TestApp.Configure(probe));

        using var response = await handler.Client.PostAsync("/nothing", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Empty(probe.Seen);
    }
}
