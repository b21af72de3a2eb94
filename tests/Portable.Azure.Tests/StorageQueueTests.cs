using System.Text;
using Azure.Storage.Queues;
using Portable.Azure.Data;

namespace Portable.Azure.Tests;

/// <summary><see cref="StorageQueue{T}"/> and the poison queue against the real Azurite.</summary>
public sealed class StorageQueueTests
{
    private readonly string _name = Azurite.UniqueName("q");

    private StorageQueue<QueueItem> Queue()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AddJson(TestJson.Default);
        builder.Resources.AddQueue<QueueItem>(_name);
        return new StorageQueue<QueueItem>(builder.Build().Catalog, Azurite.Clients());
    }

    private QueueClient Client(bool base64 = true)
        => new(Azurite.ConnectionString, _name, new QueueClientOptions { MessageEncoding = base64 ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None });

    [Fact]
    public async Task Send_PutsTheJsonOnTheQueue_Base64EncodedAsTheQueueTriggerExpects()
    {
        await Queue().SendAsync(new QueueItem(1005, 2), null, default);

        var raw = Assert.Single((await Client(base64: false).PeekMessagesAsync(10)).Value);
        Assert.Equal("""{"orderId":1005,"quantity":2}""", Encoding.UTF8.GetString(Convert.FromBase64String(raw.MessageText)));
    }

    [Fact]
    public async Task ReceivedMessage_StaysInvisibleForItsTimeout_ThenComesBackWithTheDequeueCountRaised()
    {
        await Queue().SendAsync(new QueueItem(1, 1), null, default);
        var client = Client();

        var first = Assert.Single((await client.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1))).Value);
        Assert.Equal(1, first.DequeueCount);
        Assert.Equal("""{"orderId":1,"quantity":1}""", first.Body.ToString());
        Assert.Empty((await client.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1))).Value);

        var second = await ReceiveWithinAsync(client, TimeSpan.FromSeconds(15));
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
    }

    [Fact]
    public async Task DelayedMessage_IsInvisibleUntilTheDelayPasses()
    {
        await Queue().SendAsync(new QueueItem(2, 1), new SendOptions { Delay = TimeSpan.FromSeconds(2) }, default);
        var client = Client();

        Assert.Empty((await client.PeekMessagesAsync(10)).Value);
        var message = await ReceiveWithinAsync(client, TimeSpan.FromSeconds(15));
        Assert.Equal("""{"orderId":2,"quantity":1}""", message.Body.ToString());
    }

    [Fact]
    public async Task SendBatch_PutsEveryMessage()
    {
        await Queue().SendBatchAsync(Enumerable.Range(1, 5).Select(i => new QueueItem(i, i)), null, default);

        var bodies = (await Client().PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $$"""{"orderId":{{i}},"quantity":{{i}}}""").Order(), bodies);
    }

    [Fact]
    public async Task DelayOverFifteenMinutes_IsRefused()
        => await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Queue().SendAsync(new QueueItem(1, 1), new SendOptions { Delay = TimeSpan.FromMinutes(16) }, default));

    [Fact]
    public async Task PoisonQueue_TakesTheMessageOnQueueNameDashPoison()
    {
        await new StoragePoisonQueue(Azurite.Clients()).SendAsync(_name, Encoding.UTF8.GetBytes("not json"), default);

        var poisoned = Assert.Single((await new QueueClient(Azurite.ConnectionString, _name + "-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }).PeekMessagesAsync(10)).Value);
        Assert.Equal("not json", poisoned.Body.ToString());
    }

    [Fact]
    public async Task PoisonQueue_RefusesAMessageLargerThanAStorageQueueMessage_WithoutSendingIt()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await new StoragePoisonQueue(Azurite.Clients()).SendAsync(_name, new byte[StoragePoisonQueue.MaxMessageBytes + 1], default));

        Assert.Contains("at most 49,152", e.Message, StringComparison.Ordinal);
        Assert.False((await new QueueClient(Azurite.ConnectionString, _name + "-poison").ExistsAsync()).Value);
    }

    private static async Task<global::Azure.Storage.Queues.Models.QueueMessage> ReceiveWithinAsync(QueueClient client, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var messages = (await client.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value;
            if (messages.Length > 0) return messages[0];
            await Task.Delay(200);
        }

        throw new TimeoutException($"No message became visible on {client.Name} within {within}.");
    }
}
