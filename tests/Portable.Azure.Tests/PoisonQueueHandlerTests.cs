using System.Net;
using Azure.Storage.Queues;
using Portable.Testing;

namespace Portable.Azure.Tests;

/// <summary>The poison path needs Storage Queues: it runs against Azurite.</summary>
public sealed class PoisonQueueHandlerTests
{
    [Fact]
    public async Task UnreadableQueueMessage_GoesToThePoisonQueueAtOnce_AndTheInvocationSucceeds()
    {
        var probe = new Probe();
        await using var handler = await RunningHandler.StartAsync(TestApp.Configure(probe), new Dictionary<string, string?> { ["AzureWebJobsStorage"] = Azurite.ConnectionString });
        var poison = new QueueClient(Azurite.ConnectionString, "orders-in-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var marker = "not json " + Guid.NewGuid().ToString("N");

        var response = await handler.InvokeAsync("ProcessOrder", AzureTestDriver.QueuePayload(marker), "inv-poison");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("orders-in-poison", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains((await poison.PeekMessagesAsync(32)).Value, m => m.Body.ToString() == marker);
        Assert.Empty(probe.Seen);
    }
}
