using Portable.Hosting;

namespace Portable.Azure.Bindings;

/// <summary>
/// What <see cref="CustomHandlerInvoker"/> read from one payload before the function runs: the trigger's input and the invocation's
/// facts, with no reference to the payload's JSON document (the queue message and the HTTP body are slices of the payload,
/// unescaped in place).
/// </summary>
internal sealed class InvocationInput(InvocationInfo info)
{
    public InvocationInfo Info { get; } = info;

    /// <summary>An HTTP function's request (<c>Data.req</c>).</summary>
    public HttpRequestData? Request { get; init; }

    /// <summary>A queue function's message, as UTF-8.</summary>
    public ReadOnlyMemory<byte> Message { get; init; }

    /// <summary>A queue message's id from the metadata, for the log.</summary>
    public string? MessageId { get; init; }

    /// <summary>An event function's event.</summary>
    public CloudEvent? Event { get; init; }

    /// <summary>A blob function's event; null when the storage event was of another kind (the function skips it).</summary>
    public Portable.Blobs.BlobEvent? Blob { get; init; }

    /// <summary>A topic function's notification.</summary>
    public Notification? Notification { get; init; }

    /// <summary>A scheduled function's occurrence.</summary>
    public ScheduledEvent? Schedule { get; init; }
}
