using System.Text.Json;
using Azure.Storage.Queues;
using Portable.Azure.Bindings;
using Portable.Hosting;

namespace Portable.Azure.Data;

/// <summary>
/// <see cref="IQueue{T}"/> on Storage Queues: the message is the JSON document, base64-encoded as the Functions queue trigger
/// expects; a delay is the message's initial visibility timeout. Storage Queues have no deduplication, so a deduplication id
/// is not enforced (consumers must be idempotent, as with any at-least-once queue). During a non-forwarded invocation of a
/// function that declares it sends to this queue, messages without a delay are collected for the invocation's queue output
/// (<see cref="InvocationOutbox"/>, a <see cref="QueueOutputCollector"/>) instead, and the Functions host writes them. Either
/// way each message carries the sender's trace context as its leading <c>$traceparent</c> member (<see cref="QueueMessageTrace"/>),
/// from a producer span (<c>send {queue}</c>) when something listens to the Portable source.
/// </summary>
internal sealed class StorageQueue<T> : IQueue<T>
{
    private readonly QueueDefinition<T> _definition;
    private readonly QueueClient _queue;
    private readonly Lazy<Task> _created;

    /// <summary>What Storage Queues do with send options: a delay is the initial visibility timeout; there is no deduplication.</summary>
    public static QueueCapabilities Capabilities { get; } = new("Azure Storage Queues", DelayedDelivery: true, Deduplication: false);

    public StorageQueue(FunctionCatalog catalog, AzureStorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(clients);
        _definition = catalog.GetQueue<T>();
        _queue = clients.Queues.GetQueueClient(_definition.Name);
        _created = new Lazy<Task>(() => _queue.CreateIfNotExistsAsync());
    }

    public async Task SendAsync(T message, SendOptions? options, CancellationToken cancellationToken)
    {
        var delay = PortRules.ValidateSend(options, _definition.Name, Capabilities);
        var body = JsonSerializer.SerializeToUtf8Bytes(message, _definition.TypeInfo);
        using var producer = PortableTelemetry.StartProducer("send", QueueMessageTrace.MessagingSystem, _definition.Name);
        try
        {
            if (InvocationOutbox.TryCollect(_definition.Name, [body], options)) return;
            body = QueueMessageTrace.Attach(body, PortableTelemetry.ContextToSend(producer));
            await _created.Value.ConfigureAwait(false);
            await _queue.SendMessageAsync(BinaryData.FromBytes(body), delay, timeToLive: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            PortableTelemetry.Fail(producer, e);
            throw;
        }
    }

    public async Task SendBatchAsync(IEnumerable<T> messages, SendOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var delay = PortRules.ValidateSend(options, _definition.Name, Capabilities);
        var bodies = messages.Select(m => JsonSerializer.SerializeToUtf8Bytes(m, _definition.TypeInfo)).ToList();
        if (bodies.Count == 0) return;
        using var producer = PortableTelemetry.StartProducer("send", QueueMessageTrace.MessagingSystem, _definition.Name);
        if (producer is { IsAllDataRequested: true }) producer.SetTag("messaging.batch.message_count", bodies.Count);
        try
        {
            if (InvocationOutbox.TryCollect(_definition.Name, bodies, options)) return;
            var context = PortableTelemetry.ContextToSend(producer);
            await _created.Value.ConfigureAwait(false);
            // Storage Queues take one message a request: send them concurrently, a few at a time.
            await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (body, token) =>
            {
                await _queue.SendMessageAsync(BinaryData.FromBytes(QueueMessageTrace.Attach(body, context)), delay, timeToLive: null, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            PortableTelemetry.Fail(producer, e);
            throw;
        }
    }

}
