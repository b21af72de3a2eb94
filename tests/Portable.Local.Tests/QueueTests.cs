using Portable.Local.Storage;
using Microsoft.Extensions.DependencyInjection;
using Portable.Local.Queues;

namespace Portable.Local.Tests;

public sealed class QueueTests
{
    [Fact]
    public async Task FailingHandler_IsRetriedWithRisingAttempt_ThenSucceeds()
    {
        await using var host = await RunningHost.StartAsync();
        await host.Get<IQueue<Job>>().SendAsync(new Job("j", "fail2"), default);
        await host.WaitUntilAsync(() => host.Probe.Completed == 1);
        Assert.Equal([1, 2, 3], host.Probe.Deliveries.Select(d => d.Attempt));
        await host.WaitUntilAsync(() => host.Get<LocalQueueStore>().PendingCount() == 0);
    }

    [Fact]
    public async Task AlwaysFailing_IsDeadLetteredAfterMaxAttempts_AndCanBeRedriven()
    {
        await using var host = await RunningHost.StartAsync(o => o.MaxDeliveryAttempts = 3);
        await host.Get<IQueue<Job>>().SendAsync(new Job("bad", "fail"), default);
        var store = host.Get<LocalQueueStore>();
        await host.WaitUntilAsync(() => store.DeadLetters("jobs").Count == 1);
        Assert.Equal(3, host.Probe.Deliveries.Count);
        var dead = store.DeadLetters("jobs").Single();
        Assert.Equal(3, dead.Attempts);
        Assert.Contains("always fails", dead.LastError, StringComparison.Ordinal);
        Assert.Equal(0, store.PendingCount());

        var redrive = await host.Client.PostAsync("/_portable/queues/jobs/dead-letters/redrive", null);
        Assert.Contains("\"redriven\":1", await redrive.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await host.WaitUntilAsync(() => host.Probe.Deliveries.Count == 6 && store.DeadLetters("jobs").Count == 1);
        Assert.Equal([1, 2, 3, 1, 2, 3], host.Probe.Deliveries.Select(d => d.Attempt));
    }

    [Fact]
    public async Task UnreadableMessage_IsDeadLetteredAtOnce()
    {
        await using var host = await RunningHost.StartAsync();
        var store = host.Get<LocalQueueStore>();
        store.Enqueue("jobs", ["{not json"u8.ToArray()], null, null);
        await host.WaitUntilAsync(() => store.DeadLetters("jobs").Count == 1);
        Assert.Equal(1, store.DeadLetters("jobs").Single().Attempts);
        Assert.Empty(host.Probe.Deliveries);
    }

    [Fact]
    public async Task MessageNotAcknowledgedWithinVisibilityTimeout_IsDeliveredAgain()
    {
        await using var host = await RunningHost.StartAsync(o => o.VisibilityTimeout = TimeSpan.FromMilliseconds(300));
        await host.Get<IQueue<Job>>().SendAsync(new Job("slow", "hang"), default);
        await host.WaitUntilAsync(() => host.Probe.Deliveries.Count >= 2);
        Assert.Equal([1, 2], host.Probe.Deliveries.Take(2).Select(d => d.Attempt));
        host.Probe.Release.SetResult();
    }

    [Fact]
    public async Task DelayedMessage_IsNotDeliveredBeforeItsDelay()
    {
        await using var host = await RunningHost.StartAsync();
        await host.Get<IQueue<Job>>().SendAsync(new Job("later", "ok"), new SendOptions { Delay = TimeSpan.FromMilliseconds(400) }, default);
        Assert.Equal(1, host.Get<LocalQueueStore>().Stats().Single().Delayed);
        await host.WaitUntilAsync(() => host.Probe.Completed == 1);
    }

    [Fact]
    public async Task DuplicateDeduplicationId_IsDeliveredOnce()
    {
        await using var host = await RunningHost.StartAsync();
        var queue = host.Get<IQueue<Job>>();
        await queue.SendAsync(new Job("d", "ok"), new SendOptions { DeduplicationId = "same" }, default);
        await queue.SendAsync(new Job("d", "ok"), new SendOptions { DeduplicationId = "same" }, default);
        await host.WaitUntilAsync(() => host.Get<LocalQueueStore>().PendingCount() == 0);
        Assert.Single(host.Probe.Deliveries);
    }

    [Fact]
    public async Task Notification_FansOutToEverySubscriber_Once()
    {
        await using var host = await RunningHost.StartAsync();
        var queue = host.Get<IQueue<Job>>();
        await queue.SendBatchAsync([new Job("n1", "notify"), new Job("n1", "notify")], null, default);
        await host.WaitUntilAsync(() => host.Probe.Completed == 2 && host.Get<LocalQueueStore>().PendingCount() == 0);
        Assert.Equal(["first:n1", "second:jobs-done"], host.Probe.Notified.Order());
    }

    [Fact]
    public async Task CrashWithMessagesInFlight_LosesNothingAfterRestart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "portable-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            // A "crashed" host: messages accepted, one of them leased and never acknowledged, the store dropped without shutdown.
            var first = new LocalStore(new LocalOptions { DataDirectory = folder });
            var queues = new LocalQueueStore(first, new LocalOptions { VisibilityTimeout = TimeSpan.FromMilliseconds(200) }, TimeProvider.System);
            for (var i = 0; i < 5; i++) queues.Enqueue("jobs", [System.Text.Encoding.UTF8.GetBytes($"{{\"id\":\"c{i}\",\"mode\":\"ok\"}}")], null, null);
            Assert.NotNull(queues.Lease("jobs"));
            first.Dispose();

            await using var host = await RunningHost.StartAsync(o =>
            {
                o.InMemory = false;
                o.DataDirectory = folder;
            });
            await host.WaitUntilAsync(() => host.Probe.Completed == 5);
            Assert.Equal(["c0", "c1", "c2", "c3", "c4"], host.Probe.Deliveries.Select(d => d.Id).Order());
            Assert.Equal(2, host.Probe.Deliveries.Single(d => d.Id == "c0").Attempt);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task GracefulShutdown_LetsInFlightInvocationFinish()
    {
        var folder = Path.Combine(Path.GetTempPath(), "portable-stop-" + Guid.NewGuid().ToString("N"));
        try
        {
            var probe = new Probe();
            var host = await RunningHost.StartAsync(o =>
            {
                o.InMemory = false;
                o.DataDirectory = folder;
            }, probe);
            await host.Get<IQueue<Job>>().SendAsync(new Job("inflight", "hang"), default);
            await probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
            var stopping = host.DisposeAsync().AsTask();
            await Task.Delay(100);
            Assert.False(stopping.IsCompleted, "The host stopped while an invocation was in flight.");
            probe.Release.SetResult();
            await stopping;
            Assert.Equal(1, probe.Completed);

            var store = new LocalStore(new LocalOptions { DataDirectory = folder });
            Assert.Equal(0, new LocalQueueStore(store, new LocalOptions(), TimeProvider.System).PendingCount());
            store.Dispose();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ShutdownTimeout_CancelsInFlight_AndPutsMessageBack()
    {
        var folder = Path.Combine(Path.GetTempPath(), "portable-abort-" + Guid.NewGuid().ToString("N"));
        try
        {
            var probe = new Probe();
            var host = await RunningHost.StartAsync(o =>
            {
                o.InMemory = false;
                o.DataDirectory = folder;
            }, probe);
            await host.Get<IQueue<Job>>().SendAsync(new Job("stuck", "hang"), default);
            await probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
            using (var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
            {
                await host.Web.StopAsync(soon.Token);
            }

            await host.Web.DisposeAsync();
            var store = new LocalStore(new LocalOptions { DataDirectory = folder });
            var queues = new LocalQueueStore(store, new LocalOptions(), TimeProvider.System);
            var again = queues.Lease("jobs");
            Assert.NotNull(again);
            Assert.Equal(1, again.Attempt);
            store.Dispose();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Backoff_DoublesFromBase_UpToMax()
    {
        var options = new LocalOptions { RetryBaseDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(5) };
        var dispatcher = new QueueDispatcher(null!, null!, null!, options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<QueueDispatcher>.Instance);
        Assert.Equal([1, 2, 4, 5, 5], Enumerable.Range(1, 5).Select(a => dispatcher.Backoff(a).TotalSeconds));
    }
}
