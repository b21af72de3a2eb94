using System.Text.Json;
using Portable.Blobs;

namespace Portable.Azure.Bindings;

/// <summary>
/// Reads a Blob Storage event as a portable <see cref="BlobEvent"/>: Event Grid's <c>Microsoft.Storage.BlobCreated</c> and
/// <c>Microsoft.Storage.BlobDeleted</c> (Event Grid or CloudEvents schema; the container and name from the <c>subject</c>
/// <c>/blobServices/default/containers/{container}/blobs/{name}</c>, else from <c>data.url</c>), and the classic blob trigger's
/// metadata (<c>Uri</c>, <c>Properties</c>). The container is the bucket's name (<see cref="Data.AzureBlobStore"/>).
/// </summary>
internal static class StorageBlobEvent
{
    public const string CreatedType = "Microsoft.Storage.BlobCreated";
    public const string DeletedType = "Microsoft.Storage.BlobDeleted";
    private const string ContainersMarker = "/containers/";
    private const string BlobsMarker = "/blobs/";

    /// <summary>The event as a <see cref="BlobEvent"/>, or null when it is another kind of event (the caller skips it with a log line).</summary>
    /// <exception cref="InvalidInputException">A storage event without a container or an object name.</exception>
    public static BlobEvent? FromEventGrid(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var type = cloudEvent.Type switch
        {
            CreatedType => BlobEvents.Created,
            DeletedType => BlobEvents.Deleted,
            _ => (BlobEvents?)null,
        };
        if (type is null) return null;
        var data = cloudEvent.Data is { ValueKind: JsonValueKind.Object } d ? d : default;
        var url = PayloadReader.GetString(data, "url");
        if (!TryFromSubject(cloudEvent.Subject, out var container, out var name) && !TryFromUrl(url, out container, out name))
        {
            throw new InvalidInputException("subject",
                $"The {cloudEvent.Type} event {cloudEvent.Id} names no blob: its subject is '{cloudEvent.Subject}' and its data.url '{url}'; " +
                "Blob Storage sends /blobServices/default/containers/{container}/blobs/{name}.");
        }

        return new BlobEvent(container, name, type.Value, cloudEvent.Time ?? DateTimeOffset.UtcNow, cloudEvent.Id)
        {
            Size = type == BlobEvents.Created && data.ValueKind == JsonValueKind.Object && PayloadReader.TryGetProperty(data, "contentLength", out var length)
                && length.ValueKind == JsonValueKind.Number && length.TryGetInt64(out var size) ? size : null,
            ContentType = PayloadReader.GetString(data, "contentType"),
            ETag = PayloadReader.GetString(data, "eTag")?.Trim('"'),
        };
    }

    /// <summary>A classic blob trigger's metadata (<c>Uri</c> or <c>BlobTrigger</c>, <c>Properties</c>, <c>sys.RandGuid</c>) as a creation.</summary>
    /// <exception cref="InvalidInputException">The metadata names no blob.</exception>
    public static BlobEvent FromBlobTrigger(JsonElement metadata, string fallbackId)
    {
        var uri = PayloadReader.GetString(metadata, "Uri");
        var path = PayloadReader.GetString(metadata, "BlobTrigger");
        var name = PayloadReader.GetString(metadata, "name") ?? PayloadReader.GetString(metadata, "Name");
        string? container = null;
        if (path is not null && path.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash)
        {
            container = path[..slash];
            name ??= path[(slash + 1)..];
        }
        else if (uri is not null && name is not null && Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            // .../{container}/{name} (Azurite puts the account first: /devstoreaccount1/{container}/{name}).
            var before = Uri.UnescapeDataString(parsed.AbsolutePath);
            before = before.EndsWith("/" + name, StringComparison.Ordinal) ? before[..^(name.Length + 1)] : before[..before.LastIndexOf('/')];
            container = before[(before.LastIndexOf('/') + 1)..];
        }

        if (string.IsNullOrEmpty(container) || string.IsNullOrEmpty(name))
        {
            throw new InvalidInputException("Metadata.Uri", $"The blob trigger's metadata names no blob (Uri '{uri}', BlobTrigger '{path}', name '{name}').");
        }

        PayloadReader.TryGetProperty(metadata, "Properties", out var properties);
        var id = PayloadReader.TryGetProperty(metadata, "sys", out var sys) ? PayloadReader.GetString(sys, "RandGuid") : null;
        return new BlobEvent(container, name, BlobEvents.Created, PayloadReader.GetDate(properties, "LastModified") ?? DateTimeOffset.UtcNow, id ?? fallbackId)
        {
            Size = properties.ValueKind == JsonValueKind.Object && PayloadReader.TryGetProperty(properties, "ContentLength", out var length)
                && length.ValueKind == JsonValueKind.Number && length.TryGetInt64(out var size) ? size : null,
            ContentType = PayloadReader.GetString(properties, "ContentType"),
            ETag = PayloadReader.GetString(properties, "ETag")?.Trim('"'),
        };
    }

    private static bool TryFromSubject(string? subject, out string container, out string name)
    {
        container = name = "";
        if (subject is null) return false;
        var start = subject.IndexOf(ContainersMarker, StringComparison.Ordinal);
        if (start < 0) return false;
        start += ContainersMarker.Length;
        var blobs = subject.IndexOf(BlobsMarker, start, StringComparison.Ordinal);
        if (blobs <= start) return false;
        container = subject[start..blobs];
        name = subject[(blobs + BlobsMarker.Length)..];
        return name.Length > 0;
    }

    private static bool TryFromUrl(string? url, out string container, out string name)
    {
        container = name = "";
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var parsed)) return false;
        // https://{account}.blob.core.windows.net/{container}/{name}
        var path = parsed.AbsolutePath.TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1) return false;
        container = path[..slash];
        name = Uri.UnescapeDataString(path[(slash + 1)..]);
        return true;
    }
}
