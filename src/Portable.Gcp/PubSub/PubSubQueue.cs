using System.Text.Json;
using Portable.Hosting;

namespace Portable.Gcp.PubSub;

/// <summary>
/// <see cref="IQueue{T}"/> on Pub/Sub: the queue is a topic of the same name, and its push subscription delivers to the queue
/// function. A deduplication id travels as the <c>portable-deduplication-id</c> attribute but is not enforced; the sender's trace
/// context as <c>googclient_traceparent</c> (see <see cref="PubSubAttributes"/>). Pub/Sub has no
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

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options?.DeduplicationId is { } id) attributes[PubSubAttributes.DeduplicationId] = id;
        var bodies = messages.Select(m => JsonSerializer.SerializeToUtf8Bytes(m, _definition.TypeInfo)).ToList();
        if (bodies.Count == 0 || InvocationOutbox.TryCollect(_definition.Name, bodies, options)) return;

        using var producer = PubSubAttributes.StartProducer("send", _definition.Name, attributes);
        try
        {
            await publisher.PublishAsync(_definition.Name, [.. bodies.Select(b => (b, (IReadOnlyDictionary<string, string>)attributes))], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            PortableTelemetry.Fail(producer, e);
            throw;
        }
    }
}
