using System.Text.Json;
using Portable.Hosting;

namespace Portable.Local.Queues;

/// <summary>
/// <see cref="IQueue{T}"/> on the local store: a send returns once the message is committed. When an invocation has an
/// <see cref="InvocationOutbox"/> (a cloud driver of the test host sets one), the outbox may take the send instead.
/// </summary>
internal sealed class LocalQueue<T>(FunctionCatalog catalog, LocalQueueStore queues) : IQueue<T>
{
    private readonly QueueDefinition<T> _definition = catalog.GetQueue<T>();

    public Task SendAsync(T message, SendOptions? options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[][] body = [JsonSerializer.SerializeToUtf8Bytes(message, _definition.TypeInfo)];
        if (InvocationOutbox.TryCollect(_definition.Name, body, Validate(options))) return Task.CompletedTask;
        queues.Enqueue(_definition.Name, body, options?.Delay, options?.DeduplicationId);
        return Task.CompletedTask;
    }

    public Task SendBatchAsync(IEnumerable<T> messages, SendOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var bodies = messages.Select(m => JsonSerializer.SerializeToUtf8Bytes(m, _definition.TypeInfo)).ToList();
        if (bodies.Count == 0 || InvocationOutbox.TryCollect(_definition.Name, bodies, Validate(options))) return Task.CompletedTask;
        queues.Enqueue(_definition.Name, bodies, options?.Delay, options?.DeduplicationId);
        return Task.CompletedTask;
    }

    private static SendOptions? Validate(SendOptions? options)
    {
        if (options?.Delay is { } delay && (delay < TimeSpan.Zero || delay > TimeSpan.FromMinutes(15)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), delay, "A message delay is from zero to 15 minutes, as on every platform Portable supports.");
        }

        return options;
    }
}
