using System.Text.Json;
using Portable.Azure.Bindings;
using Portable.Hosting;
using Portable.Local.Queues;

namespace Portable.Testing;

/// <summary>
/// The test host's queue, as the Azure adapter's queue behaves: during an <see cref="AzureTestDriver"/> invocation of a function
/// that declares it sends to this queue, a message without a delay is collected for the result's queue output, as the custom
/// handler would answer it; every other send goes to the in-memory queue.
/// </summary>
internal sealed class AzureOutputQueue<T>(FunctionCatalog catalog, LocalQueue<T> local) : IQueue<T>
{
    private readonly QueueDefinition<T> _definition = catalog.GetQueue<T>();

    public Task SendAsync(T message, SendOptions? options, CancellationToken cancellationToken)
        => Collects(options) && QueueOutputCollector.TryCollect(_definition.Name, [JsonSerializer.SerializeToUtf8Bytes(message, _definition.TypeInfo)], options)
            ? Task.CompletedTask
            : local.SendAsync(message, options, cancellationToken);

    public Task SendBatchAsync(IEnumerable<T> messages, SendOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages.ToList();
        return Collects(options) && QueueOutputCollector.TryCollect(_definition.Name, list.Select(m => JsonSerializer.SerializeToUtf8Bytes(m, _definition.TypeInfo)).ToList(), options)
            ? Task.CompletedTask
            : local.SendBatchAsync(list, options, cancellationToken);
    }

    /// <summary>Whether a collector may take the send: one is current, and there is no delay (the local queue checks a delay's range).</summary>
    private static bool Collects(SendOptions? options) => QueueOutputCollector.Current is not null && (options?.Delay ?? TimeSpan.Zero) == TimeSpan.Zero;
}
