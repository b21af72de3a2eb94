using Portable.Hosting;

namespace Portable.AspNetCore.Tests.Fixtures;

/// <summary>An <see cref="ITelemetryFlush"/> that counts its calls and keeps, for each, what <paramref name="snapshot"/> said at that moment.</summary>
public sealed class RecordingFlush(Func<string>? snapshot = null) : ITelemetryFlush
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public System.Collections.Concurrent.ConcurrentQueue<string> Snapshots { get; } = new();

    public bool Flush(TimeSpan timeout)
    {
        if (snapshot is not null) Snapshots.Enqueue(snapshot());
        Interlocked.Increment(ref _count);
        return true;
    }
}
