using System.Net;
using System.Text;
using System.Text.Json;
using Portable.Testing;

namespace Portable.Azure.Tests;

/// <summary>The custom handler's HTTP contract on real Kestrel: readiness, forwarded requests and invocation payloads.</summary>
public sealed class HandlerHostTests : IAsyncLifetime
{
    private readonly Probe _probe = new();
    private RunningHandler _handler = null!;

    public async Task InitializeAsync() => _handler = await RunningHandler.StartAsync(TestApp.Configure(_probe));

    public async Task DisposeAsync() => await _handler.DisposeAsync();

    [Fact]
    public async Task GetRoot_AnswersAtOnce_SoTheHostSeesTheHandlerUp()
    {
        var response = await _handler.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_probe.Seen);
    }

    [Fact]
    public async Task ForwardedRequest_AtItsRoute_IsRoutedAndAnsweredAsItIs_WithTheHostsInvocationId()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/order?source=web") { Content = new StringContent("""{"id":1}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", "inv-fwd-1");
        var response = await _handler.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""POST /order source=web ct=application/json body={"id":1}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("inv-fwd-1", response.Headers.GetValues("X-Invocation").Single());
        Assert.Equal("inv-fwd-1", _probe.Single("order").InvocationId);
        Assert.Equal("azure", _probe.Single("order").Platform);
    }

    [Fact]
    public async Task ForwardedRequest_ToAnUnknownRouteOrMethod_Answers404Or405()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _handler.Client.GetAsync("/nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _handler.Client.GetAsync("/order")).StatusCode);
    }

    [Fact]
    public async Task ForwardedRequest_WhenTheFunctionThrows_Answers500ProblemWithTheInvocationId()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/throws");
        request.Headers.Add("X-Azure-Functions-InvocationId", "inv-throw");
        var response = await _handler.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("inv-throw", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostFunctionName_WithTheQueueVector_Answers200JsonWithOutputsLogsAndReturnValue()
    {
        var response = await _handler.InvokeAsync("ProcessOrder", Vectors.Authored("request.queue-trigger.json"), "inv-q-9");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("inv-q-9", _probe.Single("ProcessOrder").InvocationId);
    }

    [Fact]
    public async Task PostFunctionName_WhenTheFunctionFails_AnswersNon2xx()
    {
        var response = await _handler.InvokeAsync("ProcessOrder", AzureTestDriver.QueuePayload("""{"orderId":1,"quantity":-1}"""), "inv-fail");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("inv-fail", body.RootElement.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostUnknownFunction_Answers404_AndOtherPathsAnswer404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _handler.InvokeAsync("Nope", "{}", "x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _handler.Client.GetAsync("/ProcessOrder")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _handler.Client.PostAsync("/a/b", new StringContent("{}"))).StatusCode);
    }

    [Fact]
    public async Task NonForwardedHttpPayload_PostedByName_AnswersTheResOutput()
    {
        // With forwarding on, POST /order is the forwarded request of "order" itself (empty route prefix), so the host sends payloads only with it off.
        await using var notForwarded = await RunningHandler.StartAsync(TestApp.Configure(_probe), PayloadEdgeTests.NotForwarded);
        var response = await notForwarded.InvokeAsync("order", Vectors.Authored("request.http-trigger.json"), "inv-h");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("201", body.RootElement.GetProperty("Outputs").GetProperty("res").GetProperty("statusCode").GetString());
    }
}
