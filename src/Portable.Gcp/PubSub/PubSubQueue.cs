using System.Text.Json;
using Portable.Hosting;

namespace Portable.Gcp.PubSub;

/// <summary>
/// <see cref="IQueue{T}"/> on Pub/Sub: the queue is a topic of the same name, and its push subscription delivers to the queue
/// function. A deduplication id travels as the <c>portable-deduplication-id</c> attribute but is not enforced. Pub/Sub has no
/// delayed delivery, so a delay is refused rather than ignored (<see cref="PubSubPublisher.QueueCapabilities"/>).
/// </summary>
internal sealed class PubSubQueue<T>(FunctionCatalog catalog, PubSubPublisher publisher) : IQueue<T>
{
    private readonly QueueDefinition<T> _definition = catalog.GetQueue<T>();

    public Task SendAsync(T message, SendOptions? options, CancellationToken cancellationToken)
        => SendBatchAsync([message], options, cancellationToken);

    public async Task SendBatchAsync(IEnumerable<T> messages, SendOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        PortRules.ValidateSend(options, _definition.Name, PubSubPublisher.QueueCapabilities);

        var attributes = options?.DeduplicationId is { } id
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [PubSubAttributes.DeduplicationId] = id }
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var batch = messages.Select(m => (JsonSerializer.SerializeToUtf8Bytes(m, _definition.TypeInfo), (IReadOnlyDictionary<string, string>)attributes)).ToList();
        if (batch.Count == 0 || InvocationOutbox.TryCollect(_definition.Name, [.. batch.Select(m => m.Item1)], options)) return;
        await publisher.PublishAsync(_definition.Name, batch, cancellationToken).ConfigureAwait(false);
    }
}
