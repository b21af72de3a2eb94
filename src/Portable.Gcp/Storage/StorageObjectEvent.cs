using System.Globalization;
using System.Text.Json;
using Portable.Blobs;

namespace Portable.Gcp.Storage;

/// <summary>
/// Reads a Cloud Storage object event as a portable <see cref="BlobEvent"/>: the Eventarc CloudEvents
/// <c>google.cloud.storage.object.v1.finalized</c> and <c>.deleted</c> (binary or structured), and the legacy
/// <c>google.storage.object.finalize</c>/<c>delete</c> events, which <see cref="Events.GcpEventReader"/> has already turned into
/// those CloudEvents. The object's <see cref="BlobEvent.ETag"/> is its <c>generation</c> (a decimal string): the version Cloud
/// Storage's preconditions take (<c>ifGenerationMatch</c>), so the same value works as an <see cref="ExpectedVersion"/>.
/// </summary>
internal static class StorageObjectEvent
{
    public const string FinalizedType = "google.cloud.storage.object.v1.finalized";
    public const string DeletedType = "google.cloud.storage.object.v1.deleted";
    private const string BucketsMarker = "/buckets/";

    /// <summary>The event as a <see cref="BlobEvent"/> with the physical bucket name, or null when it is not an object creation or deletion.</summary>
    /// <exception cref="InvalidInputException">A storage event without a bucket or an object name.</exception>
    public static BlobEvent? Read(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        BlobEvents? type = cloudEvent.Type switch
        {
            FinalizedType => BlobEvents.Created,
            DeletedType => BlobEvents.Deleted,
            _ => null,
        };
        if (type is null) return null;
        var data = cloudEvent.Data is { ValueKind: JsonValueKind.Object } d ? d : default;
        var bucket = Text(data, "bucket") ?? FromSource(cloudEvent.Source);
        var name = Text(data, "name") ?? (cloudEvent.Subject is { } subject && subject.StartsWith("objects/", StringComparison.Ordinal) ? subject["objects/".Length..] : null);
        if (string.IsNullOrEmpty(bucket) || string.IsNullOrEmpty(name))
        {
            throw new InvalidInputException("data.name",
                $"The {cloudEvent.Type} event {cloudEvent.Id} names no object: Cloud Storage sends data.bucket and data.name " +
                "(or source //storage.googleapis.com/projects/_/buckets/BUCKET and subject objects/NAME).");
        }

        var time = cloudEvent.Time
            ?? (DateTimeOffset.TryParse(Text(data, "updated"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var updated) ? updated : DateTimeOffset.UtcNow);
        return new BlobEvent(bucket, name, type.Value, time, cloudEvent.Id)
        {
            Size = long.TryParse(Text(data, "size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : null,
            ContentType = Text(data, "contentType"),
            ETag = Text(data, "generation"),
        };
    }

    /// <summary>
    /// Whether a physical bucket is the declared one: the same name, or the name the deployment gives it, <c>{project}-{bucket}</c>
    /// (Cloud Storage bucket names are global, so deploy.sh prefixes them with the project).
    /// </summary>
    public static bool IsBucket(string physical, string declared)
        => string.Equals(physical, declared, StringComparison.Ordinal)
            || (physical.Length > declared.Length + 1 && physical.EndsWith(declared, StringComparison.Ordinal) && physical[^(declared.Length + 1)] == '-');

    private static string? FromSource(string? source)
    {
        var at = source?.LastIndexOf(BucketsMarker, StringComparison.Ordinal) ?? -1;
        return at < 0 ? null : source![(at + BucketsMarker.Length)..].Split('/')[0];
    }

    private static string? Text(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
