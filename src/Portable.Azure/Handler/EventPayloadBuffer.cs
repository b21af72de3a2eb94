using Portable.Hosting;

namespace Portable.Azure.Handler;

/// <summary>
/// One reusable buffer for the large payloads of functions that are not HTTP functions (queue, timer, Event Grid, blob), which
/// are at most <see cref="CustomHandlerEndpoint.MaxEventPayloadBytes"/>. Such a payload is read into it, not into a new array,
/// so that nothing of its size becomes garbage and no blocking collection (<see cref="LargeInvocations"/>) has to give it back:
/// measured on the published handler, that collection raised the peak RSS of one 2 MiB payload by about 1 MB, more than the
/// buffer it freed. The buffer is made at the first such payload (<see cref="Size"/> bytes; only the pages a payload fills
/// are resident) and kept, so ten payloads in a row cost what one does. A payload that arrives while the buffer is in use
/// gets an array of its own, as before. Safe because nothing of the payload outlives the invocation of such a function: its
/// message, event or notification is deserialized (or copied) from it, never handed over as a slice.
/// </summary>
internal sealed class EventPayloadBuffer
{
    /// <summary>The buffer's size: the largest payload it takes.</summary>
    public const int Size = (int)CustomHandlerEndpoint.MaxEventPayloadBytes;

    private byte[]? _spare;
    private int _made;

    /// <summary>The buffer, when it is free (made at the first call); null while another invocation has it.</summary>
    public byte[]? TryRent()
    {
        if (Interlocked.Exchange(ref _spare, null) is { } spare) return spare;
        return Interlocked.Exchange(ref _made, 1) == 0 ? GC.AllocateUninitializedArray<byte>(Size) : null;
    }

    /// <summary>Gives the buffer back once the invocation's answer is written.</summary>
    public void Return(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Volatile.Write(ref _spare, buffer);
    }
}
