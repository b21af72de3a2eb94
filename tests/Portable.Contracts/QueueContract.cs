using System.Diagnostics;
using Portable.Hosting;

namespace Portable.Contracts;

/// <summary>
/// What every <see cref="IQueue{T}"/> implementation does: delivers what is sent (one, a batch, from concurrent senders) exactly
/// as sent, refuses invalid <see cref="SendOptions"/> by the shared rules (<see cref="PortRules"/>), and honours a delay or a
/// deduplication id exactly where its <see cref="QueueCapabilities"/> declare it (a delay is refused where they do not).
/// Subclass it once for each implementation.
/// </summary>
public abstract class QueueContract : IAsyncLifetime
{
    private IQueue<ContractMessage>? _queue;

    /// <summary>The queue's name, fresh for each test.</summary>
    protected string QueueName { get; private set; } = "";

    /// <summary>The queue under test.</summary>
    protected IQueue<ContractMessage> Queue => _queue ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>What the implementation declares it does with send options.</summary>
    protected abstract QueueCapabilities Capabilities { get; }

    /// <summary>A name for a fresh queue; override where the platform needs a particular form (an SQS FIFO queue's <c>.fifo</c>).</summary>
    /// <returns>The name.</returns>
    protected virtual string NewQueueName() => ContractApp.UniqueName("q");

    /// <summary>Creates the implementation over an empty queue named <paramref name="name"/>, declared in <paramref name="app"/>.</summary>
    /// <param name="app">An app declaring the queue (see <see cref="ContractApp.Build"/>).</param>
    /// <param name="name">The queue name.</param>
    /// <returns>The queue.</returns>
    protected abstract Task<IQueue<ContractMessage>> CreateQueueAsync(PortableApp app, string name);

    /// <summary>Takes the messages that are deliverable now off the queue (waiting at most a second or so for the first).</summary>
    /// <returns>The messages taken, none when nothing is deliverable.</returns>
    protected abstract Task<IReadOnlyList<ContractMessage>> ReceiveAsync();

    /// <summary>Releases what <see cref="CreateQueueAsync"/> made; nothing by default.</summary>
    /// <returns>A task that completes when it is released.</returns>
    protected virtual Task DeleteQueueAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        QueueName = NewQueueName();
        _queue = await CreateQueueAsync(ContractApp.Build(queue: QueueName), QueueName);
    }

    /// <inheritdoc />
    public Task DisposeAsync() => DeleteQueueAsync();

    /// <summary>A sent message is delivered once, as sent.</summary>
    [Fact]
    public async Task Send_DeliversTheMessageAsSent()
    {
        await Queue.SendAsync(new ContractMessage("m-1", "hello, ünïcode"), default);

        Assert.Equal([new ContractMessage("m-1", "hello, ünïcode")], await ReceiveAtLeastAsync(1));
    }

    /// <summary>A batch larger than any platform's batch size delivers every message once.</summary>
    [Fact]
    public async Task SendBatch_OfTwentyThree_DeliversEveryMessageOnce()
    {
        var sent = Enumerable.Range(0, 23).Select(i => new ContractMessage($"m-{i}", "batch")).ToList();
        await Queue.SendBatchAsync(sent, null, default);

        var received = await ReceiveAtLeastAsync(sent.Count);
        Assert.Equal(sent.Select(m => m.Id).Order(), received.Select(m => m.Id).Order());
    }

    /// <summary>An empty batch sends nothing and does not fail.</summary>
    [Fact]
    public async Task SendBatch_Empty_SendsNothing()
    {
        await Queue.SendBatchAsync([], null, default);

        Assert.Empty(await ReceiveAsync());
    }

    /// <summary>Eight senders at once: every message is delivered exactly once.</summary>
    [Fact]
    public async Task ConcurrentSenders_EveryMessageIsDeliveredExactlyOnce()
    {
        var sent = Enumerable.Range(0, 8).SelectMany(s => Enumerable.Range(0, 5).Select(i => new ContractMessage($"s{s}-m{i}", "concurrent"))).ToList();
        await Task.WhenAll(sent.GroupBy(m => m.Id[..2]).Select(group => Task.Run(async () =>
        {
            foreach (var message in group) await Queue.SendAsync(message, default);
        })));

        var received = await ReceiveAtLeastAsync(sent.Count);
        Assert.Equal(sent.Select(m => m.Id).Order(), received.Select(m => m.Id).Order());
    }

    /// <summary>A delay of zero is no delay, on every platform.</summary>
    [Fact]
    public async Task Send_WithAZeroDelay_DeliversAtOnce()
    {
        await Queue.SendAsync(new ContractMessage("now", "zero"), new SendOptions { Delay = TimeSpan.Zero }, default);

        Assert.Single(await ReceiveAtLeastAsync(1));
    }

    /// <summary>A negative delay, or one over <see cref="PortRules.MaxDelay"/>, is refused by every queue, single or batch.</summary>
    [Theory]
    [InlineData(-1)]
    [InlineData(15 * 60 + 1)]
    public async Task Send_WithADelayOutsideZeroToFifteenMinutes_ThrowsArgumentOutOfRange(int seconds)
    {
        var options = new SendOptions { Delay = TimeSpan.FromSeconds(seconds) };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Queue.SendAsync(new ContractMessage("x", "x"), options, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Queue.SendBatchAsync([new ContractMessage("y", "y")], options, default));
        Assert.Empty(await ReceiveAsync());
    }

    /// <summary>A deduplication id that breaks <see cref="PortRules.ValidateDeduplicationId"/> is refused by every queue.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("ünïcode")]
    public async Task Send_WithAnInvalidDeduplicationId_ThrowsArgumentException(string id)
    {
        var options = new SendOptions { DeduplicationId = id };

        await Assert.ThrowsAsync<ArgumentException>(() => Queue.SendAsync(new ContractMessage("x", "x"), options, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Queue.SendBatchAsync([new ContractMessage("y", "y")], options, default));
        Assert.Empty(await ReceiveAsync());
    }

    /// <summary>A deduplication id longer than <see cref="PortRules.MaxDeduplicationIdLength"/> is refused; one of that length is accepted.</summary>
    [Fact]
    public async Task Send_WithADeduplicationIdOverTheLimit_ThrowsArgumentException_AtTheLimitSends()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Queue.SendAsync(
            new ContractMessage("x", "x"), new SendOptions { DeduplicationId = new string('d', PortRules.MaxDeduplicationIdLength + 1) }, default));
        await Queue.SendAsync(new ContractMessage("ok", "x"), new SendOptions { DeduplicationId = new string('d', PortRules.MaxDeduplicationIdLength) }, default);

        Assert.Equal("ok", Assert.Single(await ReceiveAtLeastAsync(1)).Id);
    }

    /// <summary>Where delayed delivery is declared, a delayed message is not delivered before its delay; where it is not, the send is refused naming the service.</summary>
    [Fact]
    public async Task Send_WithADelay_IsDeliveredNoSooner_OrRefusedWhereNotDeclared()
    {
        var options = new SendOptions { Delay = TimeSpan.FromSeconds(3) };
        if (!Capabilities.DelayedDelivery)
        {
            var refused = await Assert.ThrowsAsync<NotSupportedException>(() => Queue.SendAsync(new ContractMessage("later", "delayed"), options, default));
            Assert.Contains(Capabilities.Service, refused.Message, StringComparison.Ordinal);
            Assert.Contains(QueueName, refused.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<NotSupportedException>(() => Queue.SendBatchAsync([new ContractMessage("later", "delayed")], options, default));
            Assert.Empty(await ReceiveAsync());
            return;
        }

        var clock = Stopwatch.StartNew();
        await Queue.SendAsync(new ContractMessage("later", "delayed"), options, default);

        Assert.Empty(await ReceiveAsync());
        Assert.Equal("later", Assert.Single(await ReceiveAtLeastAsync(1, TimeSpan.FromSeconds(20))).Id);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5), $"Delivered after {clock.Elapsed}, before the 3 s delay.");
    }

    /// <summary>Where deduplication is declared, a message sent twice with one id is delivered once; where it is not, the id is accepted and both are delivered (at least once).</summary>
    [Fact]
    public async Task Send_TwiceWithOneDeduplicationId_IsDeliveredOnceWhereDeclared()
    {
        var options = new SendOptions { DeduplicationId = "dedup-1" };
        await Queue.SendAsync(new ContractMessage("first", "dedup"), options, default);
        await Queue.SendAsync(new ContractMessage("second", "dedup"), options, default);
        await Queue.SendAsync(new ContractMessage("other", "dedup"), new SendOptions { DeduplicationId = "dedup-2" }, default);

        var expected = Capabilities.Deduplication ? new[] { "first", "other" } : ["first", "other", "second"];
        var received = await ReceiveAtLeastAsync(expected.Length);
        received.AddRange(await ReceiveAsync());
        Assert.Equal(expected, received.Select(m => m.Id).Order());
    }

    /// <summary>Receives until at least <paramref name="count"/> messages have come, or the time is up.</summary>
    /// <param name="count">How many to wait for.</param>
    /// <param name="within">How long to wait; 20 seconds by default.</param>
    /// <returns>What was received.</returns>
    protected async Task<List<ContractMessage>> ReceiveAtLeastAsync(int count, TimeSpan? within = null)
    {
        var deadline = Stopwatch.StartNew();
        var received = new List<ContractMessage>();
        while (received.Count < count && deadline.Elapsed < (within ?? TimeSpan.FromSeconds(20)))
        {
            var batch = await ReceiveAsync();
            received.AddRange(batch);
            if (batch.Count == 0) await Task.Delay(100);
        }

        return received;
    }
}
