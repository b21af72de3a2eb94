using Portable.Local.Queues;

namespace Portable.Local.Tests;

public sealed class LocalQueuesTests
{
    [Fact]
    public async Task SendRaw_UnreadableBody_IsDeadLettered_AndShowsInStatsAndDeadLetters()
    {
        await using var host = await RunningHost.StartAsync();
        var queues = host.Get<LocalQueues>();

        queues.SendRaw("jobs", "{not json");
        await host.WaitUntilAsync(() => queues.DeadLetters("jobs").Count == 1);

        var dead = Assert.Single(queues.DeadLetters());
        Assert.Equal(("jobs", "{not json", 1), (dead.Queue, dead.Body, dead.Attempts));
        Assert.Equal(0, queues.PendingCount());
        Assert.Equal(new QueueStats("jobs", 0, 0, 0, 1), Assert.Single(queues.Stats()));
        Assert.Empty(host.Probe.Deliveries);
    }

    [Fact]
    public async Task Redrive_OfOneDeadLetter_SendsOnlyItBackWithFreshAttempts()
    {
        await using var host = await RunningHost.StartAsync(o => o.MaxDeliveryAttempts = 2);
        var queues = host.Get<LocalQueues>();
        await host.Get<IQueue<Job>>().SendBatchAsync([new Job("a", "fail"), new Job("b", "fail")], null, default);
        await host.WaitUntilAsync(() => queues.DeadLetters("jobs").Count == 2);
        var first = queues.DeadLetters("jobs")[0];

        Assert.Equal(new RedriveResult("jobs", 0), queues.Redrive("jobs", "no-such-id"));
        Assert.Equal(new RedriveResult("jobs", 1), queues.Redrive("jobs", first.Id));

        await host.WaitUntilAsync(() => host.Probe.Deliveries.Count == 6 && queues.DeadLetters("jobs").Count == 2 && queues.PendingCount() == 0);
        Assert.Equal([1, 2], host.Probe.Deliveries.Skip(4).Select(d => d.Attempt));
        Assert.Equal(new RedriveResult("other", 0), queues.Redrive("other"));
    }
}
