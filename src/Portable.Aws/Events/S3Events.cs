using System.Globalization;
using System.Text.Json;
using Portable.Blobs;

namespace Portable.Aws.Events;

/// <summary>
/// Reads S3's change events into <see cref="BlobEvent"/>s: the notification record (<c>eventSource: aws:s3</c>, delivered to the
/// function directly or in an SQS message's body) and EventBridge's <c>Object Created</c> / <c>Object Deleted</c>. The bucket is
/// mapped back from its physical name to the declared one; notification keys are URL-decoded (S3 writes a space as <c>+</c>).
/// The id is the bucket, key and S3's <c>sequencer</c> (which orders the changes of one key), so a redelivered change, by
/// whichever route, has the same id; without a sequencer the event time stands in for it.
/// </summary>
internal static class S3Events
{
    /// <summary>Whether <paramref name="root"/> is the test message S3 sends when a notification is configured (<c>"Event": "s3:TestEvent"</c>).</summary>
    public static bool IsTestEvent(JsonElement root)
        => root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Event", out var e) && e.ValueKind == JsonValueKind.String && e.ValueEquals("s3:TestEvent");

    /// <summary>The event of one notification record, or null for a kind of change that is not a creation or a deletion (a restore, a tagging...).</summary>
    /// <param name="record">The record.</param>
    /// <param name="part">How the record is named in errors, such as <c>S3 record 0</c>.</param>
    /// <param name="bucket">The function's declared bucket.</param>
    /// <param name="physical">Its physical name.</param>
    /// <exception cref="InvalidInputException">The record is not an S3 record of that bucket, or a field has the wrong type.</exception>
    public static BlobEvent? FromRecord(JsonElement record, string part, string bucket, string physical)
    {
        if (record.ValueKind != JsonValueKind.Object) throw new InvalidInputException($"{part} is {EventJson.Article(record.ValueKind)}, not an object.");
        var source = EventJson.OptionalString(record, "eventSource", part);
        if (source != "aws:s3") throw new InvalidInputException($"{part} says its eventSource is {(source is null ? "nothing" : "'" + EventJson.Shorten(source) + "'")}, not 'aws:s3'.");
        var name = EventJson.OptionalString(record, "eventName", part) ?? throw new InvalidInputException($"{part} has no eventName.");
        BlobEvents? type = name.StartsWith("ObjectCreated:", StringComparison.Ordinal) ? BlobEvents.Created
            : name.StartsWith("ObjectRemoved:", StringComparison.Ordinal) ? BlobEvents.Deleted
            : null;
        if (type is null) return null;
        var s3 = EventJson.OptionalObject(record, "s3", part) ?? throw new InvalidInputException($"{part} has no 's3'.");
        var found = EventJson.OptionalObject(s3, "bucket", part + " s3") is { } b ? EventJson.OptionalString(b, "name", part + " s3.bucket") : null;
        var o = EventJson.OptionalObject(s3, "object", part + " s3") ?? throw new InvalidInputException($"{part} has no 's3.object'.");
        var key = EventJson.OptionalString(o, "key", part + " s3.object");
        if (string.IsNullOrEmpty(key)) throw new InvalidInputException($"{part} has no 's3.object.key'.");
        var time = EventJson.OptionalTime(record, "eventTime", part) ?? throw new InvalidInputException($"{part} has no eventTime.");
        return Create(part, bucket, physical, found, DecodeKey(key), type.Value, time,
            Size(o, "size", part + " s3.object"), EventJson.OptionalString(o, "eTag", part + " s3.object"), EventJson.OptionalString(o, "sequencer", part + " s3.object"));
    }

    /// <summary>The event of an EventBridge S3 event (<c>Object Created</c>, <c>Object Deleted</c>); keys there are not URL-encoded.</summary>
    /// <exception cref="InvalidInputException">It is another kind of event, of another bucket, or a field has the wrong type.</exception>
    public static BlobEvent FromEventBridge(JsonElement root, string bucket, string physical)
    {
        const string Part = "The EventBridge event";
        var detailType = EventJson.OptionalString(root, "detail-type", Part);
        var type = detailType switch
        {
            "Object Created" => BlobEvents.Created,
            "Object Deleted" => BlobEvents.Deleted,
            _ => throw new InvalidInputException($"A blob function takes EventBridge 'Object Created' and 'Object Deleted' events from S3, not '{EventJson.Shorten(detailType ?? "")}'."),
        };
        var detail = EventJson.OptionalObject(root, "detail", Part) ?? throw new InvalidInputException($"{Part} has no 'detail'.");
        var found = EventJson.OptionalObject(detail, "bucket", Part + " detail") is { } b ? EventJson.OptionalString(b, "name", Part + " detail.bucket") : null;
        var o = EventJson.OptionalObject(detail, "object", Part + " detail") ?? throw new InvalidInputException($"{Part} has no 'detail.object'.");
        var key = EventJson.OptionalString(o, "key", Part + " detail.object");
        if (string.IsNullOrEmpty(key)) throw new InvalidInputException($"{Part} has no 'detail.object.key'.");
        var time = EventJson.OptionalTime(root, "time", Part) ?? throw new InvalidInputException($"{Part} has no 'time'.");
        return Create(Part, bucket, physical, found, key, type, time,
            Size(o, "size", Part + " detail.object"), EventJson.OptionalString(o, "etag", Part + " detail.object"), EventJson.OptionalString(o, "sequencer", Part + " detail.object"));
    }

    /// <summary>A notification key as the object name: S3 URL-encodes keys in notifications, a space as <c>+</c>.</summary>
    public static string DecodeKey(string key) => Uri.UnescapeDataString(key.Replace('+', ' '));

    private static BlobEvent Create(string part, string bucket, string physical, string? found, string key, BlobEvents type, DateTimeOffset time, long? size, string? etag, string? sequencer)
    {
        if (found is null) throw new InvalidInputException($"{part} does not name its bucket.");
        if (found != physical && found != bucket)
        {
            throw new InvalidInputException($"{part} comes from S3 bucket '{EventJson.Shorten(found)}', but the function takes bucket '{bucket}' (S3 bucket '{physical}', from PORTABLE_BUCKET_{Data.AwsResourceNames.Key(bucket)}).");
        }

        var version = sequencer ?? time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return new BlobEvent(bucket, key, type, time, $"{bucket}/{key}@{version}")
        {
            Size = type == BlobEvents.Created ? size : null,
            ETag = etag?.Trim('"'),
        };
    }

    private static long? Size(JsonElement parent, string name, string part)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var size) && size >= 0 ? size : throw EventJson.WrongKind(part, name, value, "a size in bytes");
    }
}
