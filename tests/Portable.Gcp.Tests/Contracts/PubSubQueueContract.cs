using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portable.Contracts;
using Portable.Gcp.PubSub;
using Portable.Hosting;

namespace Portable.Gcp.Tests.Contracts;

/// <summary>The queue contract on <see cref="PubSubQueue{T}"/>, read back from what the in-test Pub/Sub server was sent: no delays, deduplication not enforced.</summary>
[ContractFor(typeof(PubSubQueue<>))]
public sealed class PubSubQueueContract : QueueContract
{
    private GoogleContractServices? _google;

    protected override QueueCapabilities Capabilities => PubSubPublisher.QueueCapabilities;

    protected override async Task<IQueue<ContractMessage>> CreateQueueAsync(PortableApp app, string name)
    {
        _google = await GoogleContractServices.StartAsync(app);
        return _google.Services.GetRequiredService<IQueue<ContractMessage>>();
    }

    protected override Task<IReadOnlyList<ContractMessage>> ReceiveAsync()
        => Task.FromResult<IReadOnlyList<ContractMessage>>(
            _google!.TakePublished(QueueName).Select(m => JsonSerializer.Deserialize(m.Data, ContractJson.Default.ContractMessage)!).ToList());

    protected override async Task DeleteQueueAsync()
    {
        if (_google is not null) await _google.DisposeAsync();
    }
}
