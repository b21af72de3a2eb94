using System.Diagnostics;
using Portable.Hosting;

namespace Portable.Contracts;

/// <summary>
/// What every <see cref="INotifier"/> implementation does: a published notification reaches the topic's subscribers with its body,
/// subject and attributes, concurrent publishes each arrive once, and invalid notifications are refused by the shared rules
/// (<see cref="PortRules.ValidateNotification"/>). Subclass it once for each implementation.
/// </summary>
public abstract class NotifierContract : IAsyncLifetime
{
    private INotifier? _notifier;

    /// <summary>The topic's name, fresh for each test.</summary>
    protected string Topic { get; } = ContractApp.UniqueName("t");

    /// <summary>The notifier under test.</summary>
    protected INotifier Notifier => _notifier ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>Creates the implementation publishing to <see cref="Topic"/>, declared in <paramref name="app"/>, with a subscriber <see cref="ReceiveAsync"/> reads.</summary>
    /// <param name="app">An app declaring the topic and a subscriber function (see <see cref="ContractApp.Build"/>).</param>
    /// <param name="topic">The topic name.</param>
    /// <returns>The notifier.</returns>
    protected abstract Task<INotifier> CreateNotifierAsync(PortableApp app, string topic);

    /// <summary>Takes what the subscriber has been delivered since the last call (waiting at most a second or so for the first).</summary>
    /// <returns>The notifications, as the subscriber sees them.</returns>
    protected abstract Task<IReadOnlyList<Notification>> ReceiveAsync();

    /// <summary>Releases what <see cref="CreateNotifierAsync"/> made; nothing by default.</summary>
    /// <returns>A task that completes when it is released.</returns>
    protected virtual Task DeleteTopicAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync() => _notifier = await CreateNotifierAsync(ContractApp.Build(topic: Topic), Topic);

    /// <inheritdoc />
    public Task DisposeAsync() => DeleteTopicAsync();

    /// <summary>The subscriber gets the body, subject and attributes that were published.</summary>
    [Fact]
    public async Task Publish_DeliversTheBodySubjectAndAttributes()
    {
        await Notifier.PublishAsync(new Notification(Topic, """{"orderId":"o-1"}""")
        {
            Subject = "Order o-1 confirmed",
            Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["region"] = "eu" },
        }, default);

        var received = Assert.Single(await ReceiveAtLeastAsync(1));
        Assert.Equal("""{"orderId":"o-1"}""", received.Body);
        Assert.Equal("Order o-1 confirmed", received.Subject);
        Assert.Equal("eu", received.Attributes["region"]);
    }

    /// <summary>A notification with only a body arrives with that body.</summary>
    [Fact]
    public async Task Publish_WithOnlyABody_DeliversTheBody()
    {
        await Notifier.PublishAsync(new Notification(Topic, """{"n":1}"""), default);

        Assert.Equal("""{"n":1}""", Assert.Single(await ReceiveAtLeastAsync(1)).Body);
    }

    /// <summary>Invalid notifications are refused before anything is published.</summary>
    [Fact]
    public async Task Publish_Invalid_IsRefused_AndNothingIsDelivered()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Notifier.PublishAsync(null!, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Notifier.PublishAsync(new Notification("", "{}"), default));
        await Assert.ThrowsAsync<ArgumentException>(() => Notifier.PublishAsync(new Notification(Topic, "{}") { DeduplicationId = "" }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Notifier.PublishAsync(new Notification(Topic, "{}") { DeduplicationId = "has space" }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Notifier.PublishAsync(
            new Notification(Topic, "{}") { DeduplicationId = new string('d', PortRules.MaxDeduplicationIdLength + 1) }, default));

        Assert.Empty(await ReceiveAsync());
    }

    /// <summary>Eight publishers at once: every notification arrives exactly once.</summary>
    [Fact]
    public async Task ConcurrentPublishes_EachArriveExactlyOnce()
    {
        var bodies = Enumerable.Range(0, 24).Select(i => $$"""{"n":{{i}}}""").ToList();
        await Task.WhenAll(bodies.Chunk(3).Select(chunk => Task.Run(async () =>
        {
            foreach (var body in chunk) await Notifier.PublishAsync(new Notification(Topic, body), default);
        })));

        var received = await ReceiveAtLeastAsync(bodies.Count);
        received.AddRange(await ReceiveAsync());
        Assert.Equal(bodies.Order(StringComparer.Ordinal), received.Select(n => n.Body).Order(StringComparer.Ordinal));
    }

    /// <summary>Receives until at least <paramref name="count"/> notifications have come, or 20 seconds have passed.</summary>
    /// <param name="count">How many to wait for.</param>
    /// <returns>What was received.</returns>
    protected async Task<List<Notification>> ReceiveAtLeastAsync(int count)
    {
        var deadline = Stopwatch.StartNew();
        var received = new List<Notification>();
        while (received.Count < count && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            var batch = await ReceiveAsync();
            received.AddRange(batch);
            if (batch.Count == 0) await Task.Delay(100);
        }

        return received;
    }
}
