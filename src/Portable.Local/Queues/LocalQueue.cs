using System.Text.Json;
using Portable.Hosting;

namespace Portable.Local.Queues;

/// <summary>
/// <see cref="IQueue{T}"/> on the local store: a send returns once the message is committed; delays and deduplication ids are honoured. When an invocation has an
/// <see cref="InvocationOutbox"/> (a cloud driver of the test host sets one), the outbox may take the send instead.
/// Each message carries the sender's trace context (a <c>send</c> producer span when something listens, else the current
/// activity's), so the consuming invocation continues the trace.
/// </summary>
internal sealed class LocalQueue<T>(FunctionCatalog catalog, LocalQueueStore queues) : IQueue<T>
{
    private readonly QueueDefinition<T> _definition = catalog.GetQueue<T>();

    /// <summary>What the local queue does with send options: both are honoured.</summary>
    public static QueueCapabilities Capabilities { get; } = new("the local queue", DelayedDelivery: true, Deduplication: true);

    public Task SendAsync(T message, SendOptions? options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var delay = PortRules.ValidateSend(options, _definition.Name, Capabilities);
        byte[][] body = [JsonSerializer.SerializeToUtf8Bytes(message, _definition.TypeInfo)];
        if (InvocationOutbox.TryCollect(_definition.Name, body, options)) return Task.CompletedTask;
        Send(body, delay, options?.DeduplicationId);
        return Task.CompletedTask;
    }

    public Task SendBatchAsync(IEnumerable<T> messages, SendOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var delay = PortRules.ValidateSend(options, _definition.Name, Capabilities);
        var bodies = messages.Select(m => JsonSerializer.SerializeToUtf8Bytes(m, _definition.TypeInfo)).ToList();
        if (bodies.Count == 0 || InvocationOutbox.TryCollect(_definition.Name, bodies, options)) return Task.CompletedTask;
        Send(bodies, delay, options?.DeduplicationId);
        return Task.CompletedTask;
    }

    private void Send(IReadOnlyList<byte[]> bodies, TimeSpan? delay, string? deduplicationId)
    {
        using var producer = PortableTelemetry.StartProducer("send", LocalPlatform.MessagingSystem, _definition.Name);
        try
        {
            queues.Enqueue(_definition.Name, bodies, delay, deduplicationId, PortableTelemetry.ContextToSend(producer));
        }
        catch (Exception e)
        {
            PortableTelemetry.Fail(producer, e);
            throw;
        }
    }
}
