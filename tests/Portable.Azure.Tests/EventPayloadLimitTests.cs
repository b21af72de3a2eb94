using System.Net;
using System.Text;
using System.Text.Json;
using Portable.Azure.Handler;

namespace Portable.Azure.Tests;

/// <summary>
/// A queue, topic or timer invocation carries at most what the host can give it (a Storage queue message is 64 KiB, an Event Grid
/// event 1 MB): a larger payload is refused 413 before it is read whole, while HTTP functions keep the configured body limit.
/// </summary>
public sealed class EventPayloadLimitTests : IAsyncLifetime
{
    private readonly Probe _probe = new();
    private RunningHandler _handler = null!;

    public async Task InitializeAsync() => _handler = await RunningHandler.StartAsync(TestApp.Configure(_probe));

    public async Task DisposeAsync() => await _handler.DisposeAsync();

    [Fact]
    public async Task QueuePayload_OverTheEventLimit_Answers413_AndTheFunctionIsNotCalled()
    {
        var message = "{\\\"orderId\\\":\\\"" + new string('o', (int)CustomHandlerEndpoint.MaxEventPayloadBytes) + "\\\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ProcessOrder")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"Data\":{\"order\":\"" + message + "\"},\"Metadata\":{}}")),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Azure-Functions-InvocationId", "inv-large");

        using var response = await _handler.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("Storage queue message is at most 64 KiB", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(_probe.Seen);
    }

    [Fact]
    public async Task QueuePayload_UnderTheEventLimit_IsInvoked()
    {
        var response = await _handler.InvokeAsync("ProcessOrder", Vectors.Authored("request.queue-trigger.json"), "inv-small");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("inv-small", _probe.Single("ProcessOrder").InvocationId);
    }
}
