using Portable.Contracts;
using Portable.Hosting;
using Portable.Local.Queues;
using Portable.Local.Storage;

namespace Portable.Local.Tests.Contracts;

/// <summary>The queue contract on <see cref="LocalQueue{T}"/>, read back by leasing from the local queue store.</summary>
[ContractFor(typeof(LocalQueue<>))]
public sealed class LocalQueueContract : QueueContract, IDisposable
{
    private readonly LocalStore _store = new(new LocalOptions { InMemory = true });
    private LocalQueueStore? _queues;

    protected override QueueCapabilities Capabilities => LocalQueue<ContractMessage>.Capabilities;

    protected override Task<IQueue<ContractMessage>> CreateQueueAsync(PortableApp app, string name)
    {
        _queues = new LocalQueueStore(_store, new LocalOptions(), TimeProvider.System);
        return Task.FromResult<IQueue<ContractMessage>>(new LocalQueue<ContractMessage>(app.Catalog, _queues));
    }

    protected override Task<IReadOnlyList<ContractMessage>> ReceiveAsync() => LeasedMessages.TakeAllAsync(_queues!, QueueName, ContractJson.Default.ContractMessage);

    public void Dispose() => _store.Dispose();
}
