using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Portable.Local.Queues;

namespace Portable.Local.Tests.Contracts;

/// <summary>Reads a local queue back for the contracts: leases every visible message, acknowledges it, and returns the bodies.</summary>
internal static class LeasedMessages
{
    public static Task<IReadOnlyList<T>> TakeAllAsync<T>(LocalQueueStore queues, string queue, JsonTypeInfo<T> type)
        => TakeAllAsync(queues, queue, body => JsonSerializer.Deserialize(body, type)!);

    public static Task<IReadOnlyList<T>> TakeAllAsync<T>(LocalQueueStore queues, string queue, Func<byte[], T> read)
    {
        var received = new List<T>();
        while (queues.Lease(queue) is { } message)
        {
            received.Add(read(message.Body));
            Assert.True(queues.Acknowledge(message));
        }

        return Task.FromResult<IReadOnlyList<T>>(received);
    }
}
