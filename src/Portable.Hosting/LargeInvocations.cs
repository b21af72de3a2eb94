using System.Runtime;

namespace Portable.Hosting;

/// <summary>
/// Gives memory back after a large invocation. A large input leaves large-object-heap garbage behind (the input, what the
/// function made of it, the answer), which the GC, whose budget grows with it, would otherwise keep committed through several
/// more: ten large inputs in a row then cost ten times one. Every host brackets an invocation whose input is at least
/// <see cref="Threshold"/> bytes with <see cref="Begin"/>; when the last such invocation in flight ends (its answer is
/// written), one blocking, compacting collection returns the memory to the system. It takes a few milliseconds on a
/// function's small heap, so small invocations, nearly all of them, never pay it.
/// </summary>
public static class LargeInvocations
{
    /// <summary>The input size, in bytes, from which an invocation counts as large: 512 KiB.</summary>
    public const int Threshold = 512 * 1024;

    private static int _inFlight;

    /// <summary>Marks the start of an invocation with an input of <paramref name="bytes"/> bytes; dispose the result when its answer is written.</summary>
    /// <param name="bytes">The size of the input (the request body, the event, the payload).</param>
    /// <returns>A scope that gives the memory back when the last large invocation in flight ends; null for a small input.</returns>
    public static IDisposable? Begin(long bytes)
    {
        if (bytes < Threshold) return null;
        Interlocked.Increment(ref _inFlight);
        return new Scope();
    }

    /// <summary>Collects garbage now, compacting the large object heap, and gives the freed memory back to the system.</summary>
    public static void GiveMemoryBack()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private sealed class Scope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0 && Interlocked.Decrement(ref _inFlight) == 0) GiveMemoryBack();
        }
    }
}
