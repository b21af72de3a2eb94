using System.Text.Json;
using Azure.Storage.Queues;
using Portable.Azure.Data;
using Portable.Contracts;
using Portable.Hosting;

namespace Portable.Azure.Tests.Contracts;

/// <summary>The queue contract on <see cref="StorageQueue{T}"/>, against Azurite's Queue service, read back with the Azure SDK.</summary>
[ContractFor(typeof(StorageQueue<>))]
public sealed class StorageQueueContract : QueueContract
{
    private QueueClient? _client;

    protected override QueueCapabilities Capabilities => StorageQueue<ContractMessage>.Capabilities;

    protected override async Task<IQueue<ContractMessage>> CreateQueueAsync(PortableApp app, string name)
    {
        _client = new QueueClient(Azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await _client.CreateIfNotExistsAsync();
        return new StorageQueue<ContractMessage>(app.Catalog, Azurite.Clients());
    }

    protected override async Task<IReadOnlyList<ContractMessage>> ReceiveAsync()
    {
        var received = new List<ContractMessage>();
        foreach (var message in (await _client!.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value)
        {
            received.Add(JsonSerializer.Deserialize(message.Body.ToString(), ContractJson.Default.ContractMessage)!);
            await _client.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        return received;
    }

    protected override async Task DeleteQueueAsync()
    {
        if (_client is not null) await _client.DeleteIfExistsAsync();
    }
}
