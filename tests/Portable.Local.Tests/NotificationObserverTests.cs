using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Portable.Local.Queues;

namespace Portable.Local.Tests;

public sealed class NotificationObserverTests
{
    [Fact]
    public async Task RegisteredObservers_AreToldOfEveryPublish_AfterItIsCommittedToTheSubscriptionQueues()
    {
        var seen = new ConcurrentQueue<(string Observer, Notification Notification, int PendingOrHandled)>();
        LocalQueues? queues = null;
        var probe = new Probe();
        await using var host = await RunningHost.StartAsync(probe: probe, web: web =>
        {
            web.Services.AddSingleton<INotificationObserver>(new Observer("one", (n, _) => seen.Enqueue(("one", n, Count()))));
            web.Services.AddSingleton<INotificationObserver>(new Observer("two", (n, _) => seen.Enqueue(("two", n, Count()))));
        });
        queues = host.Get<LocalQueues>();
        var notifier = host.Get<INotifier>();

        var published = new Notification("jobs-done", "{\"id\":\"n\",\"mode\":\"ok\"}");
        var unheard = new Notification("nobody-listens", "{}");
        await notifier.PublishAsync(published, default);
        await notifier.PublishAsync(unheard, default);

        Assert.Equal(["one", "two", "one", "two"], seen.Select(s => s.Observer));
        Assert.Equal([published, published, unheard, unheard], seen.Select(s => s.Notification));
        // Both subscriptions' messages existed (pending, or handled) when the observer was told: 0 before the commit. A message its
        // handler has noted but not yet acknowledged counts twice, so the count is 2 to 4, never fewer than 2.
        Assert.InRange(seen.First().PendingOrHandled, 2, 4);

        int Count() => queues!.PendingCount() + probe.Notified.Count;
    }

    [Fact]
    public async Task ObserverThatThrows_FailsThePublish_AfterTheNotificationIsCommitted()
    {
        await using var host = await RunningHost.StartAsync(web: web =>
            web.Services.AddSingleton<INotificationObserver>(new Observer("bad", (_, _) => throw new InvalidOperationException("observer failed"))));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Get<INotifier>().PublishAsync(new Notification("jobs-done", "{\"id\":\"t\",\"mode\":\"ok\"}"), default));

        Assert.Equal("observer failed", error.Message);
        await host.WaitUntilAsync(() => host.Probe.Notified.Count == 2);
    }

    private sealed class Observer(string name, Action<Notification, string> onPublished) : INotificationObserver
    {
        public Task HandleAsync(Notification notification, CancellationToken cancellationToken)
        {
            onPublished(notification, name);
            return Task.CompletedTask;
        }
    }
}
