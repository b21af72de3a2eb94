using System.Globalization;
using Azure.Storage.Queues;
using Portable.Azure.Bindings;

namespace Portable.Azure.Data;

/// <summary>Puts an unreadable message on <c>{queue}-poison</c>, where the Functions host puts messages that failed every retry.</summary>
internal sealed class StoragePoisonQueue(AzureStorageClients clients) : IPoisonQueue
{
    /// <summary>The largest message Storage Queues hold: 64 KiB of base64 text, so 48 KiB of bytes.</summary>
    public const int MaxMessageBytes = 64 * 1024 / 4 * 3;

    /// <exception cref="InvalidOperationException">The message is larger than a Storage queue message can be.</exception>
    public async ValueTask SendAsync(string queue, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        // Checked here, before the client base64-encodes a copy: a message this large did not come from a Storage queue.
        if (message.Length > MaxMessageBytes)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The message is {message.Length:N0} bytes; a Storage queue message holds at most {MaxMessageBytes:N0} (64 KiB of base64)."));
        }

        var poison = clients.Queues.GetQueueClient(queue + "-poison");
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await poison.SendMessageAsync(BinaryData.FromBytes(message), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
