using System.Text.Json;
using Portable.Hosting;

namespace Portable.Local.Queues;

/// <summary><see cref="IQueue{T}"/> on the local store: a send returns once the message is committed. Delays and deduplication ids are honoured.</summary>
internal sealed class LocalQueue<T>(FunctionCatalog catalog, LocalQueueStore queues) : IQueue<T>
{
    private readonly QueueDefinition<T> _definition = catalog.GetQueue<T>();

    /// <summary>What the local queue does with send options: both are honoured.</summary>
    public static QueueCapabilities Capabilities { get; } = new("the local queue", DelayedDelivery: true, Deduplication: true);

    public Task SendAsync(T message, SendOptions? options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var delay = PortRules.ValidateSend(options, _definition.Name, Capabilities);
        queues.Enqueue(_definition.Name, [JsonSerializer.SerializeToUtf8Bytes(message, _definition.TypeInfo)], delay, options?.DeduplicationId);
        return Task.CompletedTask;
    }

    public Task SendBatchAsync(IEnumerable<T> messages, SendOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var delay = PortRules.ValidateSend(options, _definition.Name, Capabilities);
        var bodies = messages.Select(m => JsonSerializer.SerializeToUtf8Bytes(m, _definition.TypeInfo)).ToList();
        if (bodies.Count > 0) queues.Enqueue(_definition.Name, bodies, delay, options?.DeduplicationId);
        return Task.CompletedTask;
    }

}
