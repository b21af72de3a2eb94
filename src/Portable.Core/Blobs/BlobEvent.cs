using System.Text.Json.Serialization;

namespace Portable.Blobs;

/// <summary>What happened to objects in a bucket; a function subscribes to one or both with <c>MapBlob</c>.</summary>
[Flags]
public enum BlobEvents
{
    /// <summary>An object was written (created or replaced): S3 <c>ObjectCreated</c>, Cloud Storage <c>finalized</c>, Event Grid <c>BlobCreated</c>.</summary>
    [JsonStringEnumMemberName("created")]
    Created = 1,

    /// <summary>An object was deleted: S3 <c>ObjectRemoved</c>, Cloud Storage <c>deleted</c>, Event Grid <c>BlobDeleted</c>.</summary>
    [JsonStringEnumMemberName("deleted")]
    Deleted = 2,
}

/// <summary>One change to one object, the same on every cloud.</summary>
/// <param name="Bucket">The bucket's declared (logical) name.</param>
/// <param name="Name">The object name.</param>
/// <param name="Type">What happened: <see cref="BlobEvents.Created"/> or <see cref="BlobEvents.Deleted"/>.</param>
/// <param name="Time">When it happened, as the cloud reports it.</param>
/// <param name="Id">The event's id: the same on a redelivery of the same event, so a handler can deduplicate with it.</param>
public sealed record BlobEvent(string Bucket, string Name, BlobEvents Type, DateTimeOffset Time, string Id)
{
    /// <summary>The object's size in bytes, when the event carries it (creations do).</summary>
    public long? Size { get; init; }

    /// <summary>The object's content type, when the event carries it (not on S3: read it with <see cref="IBlobStore.GetPropertiesAsync"/>).</summary>
    public string? ContentType { get; init; }

    /// <summary>The object's ETag after the change, without quotes, when the event carries it.</summary>
    public string? ETag { get; init; }
}

/// <summary>Handles changes to objects in a bucket, mapped with <c>builder.Functions.MapBlob&lt;TFunction&gt;("bucket", BlobEvents.Created)</c>.</summary>
/// <remarks>
/// Delivery is at least once on every cloud: the same event may arrive twice, so make the handling idempotent (for example keyed
/// by <see cref="BlobEvent.Name"/> and <see cref="BlobEvent.ETag"/>). An exception retries the event, then dead-letters it.
/// </remarks>
public interface IBlobHandler
{
    /// <summary>Handles one event.</summary>
    /// <param name="blobEvent">The event.</param>
    /// <param name="context">The invocation's context.</param>
    /// <param name="cancellationToken">Cancelled when the invocation's time is up or the host stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    Task HandleAsync(BlobEvent blobEvent, FunctionContext context, CancellationToken cancellationToken);
}
