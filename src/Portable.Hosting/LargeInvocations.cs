using System.Runtime;

namespace Portable.Hosting;

/// <summary>
/// Gives memory back after a large invocation. A large input leaves large-object-heap garbage behind (the input, what the
/// function made of it, the answer), which the GC, whose budget grows with it, would otherwise keep committed through several
/// more: ten large inputs in a row then cost ten times one. Every host brackets an invocation whose input is at least
/// <see cref="Threshold"/> bytes with <see cref="Begin"/> (or, when the input lies in a reused buffer, <see cref="BeginInBuffer"/>);
/// when the last such invocation in flight ends (its answer is written), or when <see cref="MaxEndedWithoutCollection"/> of them
/// have ended while others were still in flight, one blocking, compacting collection returns the memory to the system. The
/// second rule is for a steady stream of large inputs: the next one often starts before the last one's scope is disposed (the
/// client has its answer), so "the last in flight" may never come, and ten 32 MiB pushes in a row were measured keeping 150 MB
/// on a loaded machine. A collection takes a few milliseconds on a function's small heap, so small invocations, nearly all of
/// them, never pay it.
/// </summary>
public static class LargeInvocations
{
    /// <summary>The input size, in bytes, from which an invocation counts as large: 512 KiB.</summary>
    public const int Threshold = 512 * 1024;

    /// <summary>How many large invocations may end, wanting their memory back, while others are in flight before one collection runs anyway: 2.</summary>
    private const int MaxEndedWithoutCollection = 2;

    private static int _inFlight;
    private static int _waiting;

    /// <summary>Marks the start of an invocation with an input of <paramref name="bytes"/> bytes; dispose the result when its answer is written.</summary>
    /// <param name="bytes">The size of the input (the request body, the event, the payload).</param>
    /// <returns>A scope that gives the memory back when the last large invocation in flight ends; null for a small input.</returns>
    public static IDisposable? Begin(long bytes)
    {
        if (bytes < Threshold) return null;
        Interlocked.Increment(ref _inFlight);
        return new Scope(-1);
    }

    /// <summary>
    /// Marks the start of an invocation whose input of <paramref name="bytes"/> bytes was read into a buffer that is reused, not
    /// left as garbage; dispose the result when its answer is written. Its memory is given back only when the invocation allocated
    /// more than its input (the strings and objects the function was given, made from the input): a blocking collection raises the
    /// peak by about 1 MB while it runs (bench/README.md, memory, 2026-11-30 21:00), more than the little garbage a refused input
    /// leaves, which the GC's own budget collects.
    /// </summary>
    /// <param name="bytes">The size of the input in the buffer.</param>
    /// <returns>A scope that gives the memory back, if the invocation allocated that much, when the last large invocation in flight ends; null for a small input.</returns>
    public static IDisposable? BeginInBuffer(long bytes)
    {
        if (bytes < Threshold) return null;
        Interlocked.Increment(ref _inFlight);
        return new Scope(GC.GetTotalAllocatedBytes() + bytes);
    }

    /// <summary>Collects garbage now, compacting the large object heap, and gives the freed memory back to the system.</summary>
    public static void GiveMemoryBack()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>A large invocation in flight; <paramref name="allocatedBytesOver"/> is -1 to collect always, else the process's allocated-bytes count past which to collect.</summary>
    private sealed class Scope(long allocatedBytesOver) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            var waiting = allocatedBytesOver < 0 || GC.GetTotalAllocatedBytes() > allocatedBytesOver
                ? Interlocked.Increment(ref _waiting)
                : Volatile.Read(ref _waiting);
            var inFlight = Interlocked.Decrement(ref _inFlight);
            if (waiting > 0 && (inFlight == 0 || waiting >= MaxEndedWithoutCollection) && Interlocked.Exchange(ref _waiting, 0) > 0) GiveMemoryBack();
        }
    }
}
