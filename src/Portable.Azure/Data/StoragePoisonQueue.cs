using Azure.Storage.Queues;
using Portable.Azure.Bindings;

namespace Portable.Azure.Data;

/// <summary>Puts an unreadable message on <c>{queue}-poison</c>, where the Functions host puts messages that failed every retry.</summary>
internal sealed class StoragePoisonQueue(AzureStorageClients clients) : IPoisonQueue
{
    public async ValueTask SendAsync(string queue, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var poison = clients.Queues.GetQueueClient(queue + "-poison");
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await poison.SendMessageAsync(BinaryData.FromBytes(message), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
