using Microsoft.Extensions.Logging.Abstractions;
using Portable.Contracts;
using Portable.Local.Queues;
using Portable.Local.Storage;

namespace Portable.Local.Tests.Contracts;

/// <summary>The notifier contract on <see cref="LocalNotifier"/>, read back from the subscriber function's subscription queue.</summary>
[ContractFor(typeof(LocalNotifier))]
public sealed class LocalNotifierContract : NotifierContract, IDisposable
{
    private readonly LocalStore _store = new(new LocalOptions { InMemory = true });
    private LocalQueueStore? _queues;
    private string _subscription = "";

    protected override Task<INotifier> CreateNotifierAsync(PortableApp app, string topic)
    {
        _queues = new LocalQueueStore(_store, new LocalOptions(), TimeProvider.System);
        _subscription = QueueDispatcher.QueueOf(Assert.Single(app.Catalog.SubscribersOf(topic)));
        return Task.FromResult<INotifier>(new LocalNotifier(app.Catalog, _queues, NullLogger<LocalNotifier>.Instance));
    }

    protected override Task<IReadOnlyList<Notification>> ReceiveAsync() => LeasedMessages.TakeAllAsync(_queues!, _subscription, NotificationFrame.Read);

    public void Dispose() => _store.Dispose();
}
