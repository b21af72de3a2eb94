using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Blobs;
using Portable.Hosting;
using Portable.Local.Queues;
using Portable.Local.Storage;

namespace Portable.Local.Blobs;

/// <summary>
/// The local host's buckets: each object's content is a file under <c>&lt;DataDirectory&gt;/buckets/&lt;bucket&gt;/</c> (a temporary
/// folder deleted at stop when <see cref="LocalOptions.InMemory"/>), its properties a row of the SQLite store the host already has.
/// </summary>
/// <remarks>
/// Why SQLite for the properties rather than sidecar files: a write is one transaction that checks the condition, renames the
/// uploaded temporary file into place, records the properties and queues the blob functions' events. Conditions are therefore
/// atomic against other writers in this process (the store's lock) and in other processes (SQLite's write lock, <c>BEGIN
/// IMMEDIATE</c>), and an event is queued if and only if the write happened, with the queues' durability. Listing is an ordered
/// query instead of a directory walk. Content is streamed to the temporary file outside the lock, so only the commit is serialised.
/// </remarks>
internal sealed partial class LocalBlobStorage : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS blobs (
            bucket TEXT NOT NULL,
            name TEXT NOT NULL,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            content_type TEXT NOT NULL,
            etag TEXT NOT NULL,
            modified INTEGER NOT NULL,
            metadata TEXT,
            PRIMARY KEY (bucket, name)) WITHOUT ROWID;
        """;

    private const string KeyFile = "blob-signing.key";

    private readonly LocalStore _store;
    private readonly LocalQueueStore _queues;
    private readonly FunctionCatalog _catalog;
    private readonly LocalOptions _options;
    private readonly TimeProvider _time;
    private readonly IServiceProvider _services;
    private readonly ILogger<LocalBlobStorage> _log;
    private readonly bool _deleteAtStop;
    private readonly byte[] _key;

    public LocalBlobStorage(LocalStore store, LocalQueueStore queues, FunctionCatalog catalog, LocalOptions options, TimeProvider time,
        IServiceProvider services, ILogger<LocalBlobStorage> log)
    {
        _store = store;
        _queues = queues;
        _catalog = catalog;
        _options = options;
        _time = time;
        _services = services;
        _log = log;
        if (options.InMemory)
        {
            Root = Path.Combine(Path.GetTempPath(), "portable-buckets-" + Guid.NewGuid().ToString("N"));
            _deleteAtStop = true;
            _key = RandomNumberGenerator.GetBytes(32);
        }
        else
        {
            var data = Path.GetFullPath(options.DataDirectory);
            Root = Path.Combine(data, "buckets");
            _key = ReadOrCreateKey(Path.Combine(data, KeyFile));
        }

        Directory.CreateDirectory(Root);
        _store.Run(connection => connection.Execute(Schema));
    }

    /// <summary>The folder that holds one folder per bucket.</summary>
    public string Root { get; }

    /// <summary>Whether the app declares (or triggers on) the bucket.</summary>
    public bool IsDeclared(string bucket) => _catalog.Buckets.Contains(bucket, StringComparer.Ordinal);

    public async Task<BlobProperties> PutAsync(string bucket, string name, Stream content, BlobPutOptions? options, long? limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        BlobRules.ValidateName(name);
        options ??= new BlobPutOptions();
        BlobRules.ValidateMetadata(options.Metadata);
        var contentType = string.IsNullOrWhiteSpace(options.ContentType) ? "application/octet-stream" : options.ContentType;
        var metadata = options.Metadata is { Count: > 0 } m ? m.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal);

        // A condition that already fails is refused before the upload; it is checked again, atomically, at the commit.
        if (options.Expected.Kind != ExpectedVersionKind.Any && !Holds(ReadRow(bucket, name), options.Expected))
        {
            throw new ConcurrencyConflictException(bucket, name, options.Expected);
        }

        var bucketFolder = Path.Combine(Root, bucket);
        var temp = Path.Combine(bucketFolder, BlobPaths.TempFolder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        long size = 0;
        try
        {
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    size += read;
                    if (size > limit) throw new UploadTooLargeException(limit.Value);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: !_options.InMemory);
            }

            var relative = BlobPaths.RelativePath(name);
            var target = Path.Combine(bucketFolder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var now = _time.GetUtcNow();
            var properties = new BlobProperties(name, size, contentType, Guid.NewGuid().ToString("N"), DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), metadata);
            var woken = _store.InTransaction((connection, transaction) =>
            {
                if (!Holds(ReadRow(connection, transaction, bucket, name), options.Expected)) throw new ConcurrencyConflictException(bucket, name, options.Expected);
                File.Move(temp, target, overwrite: true);
                connection.Execute(
                    """
                    INSERT INTO blobs (bucket, name, path, size, content_type, etag, modified, metadata) VALUES ($bucket, $name, $path, $size, $type, $etag, $modified, $metadata)
                    ON CONFLICT (bucket, name) DO UPDATE SET path = $path, size = $size, content_type = $type, etag = $etag, modified = $modified, metadata = $metadata
                    """,
                    transaction, ("$bucket", bucket), ("$name", name), ("$path", relative), ("$size", size), ("$type", contentType), ("$etag", properties.ETag),
                    ("$modified", now.ToUnixTimeMilliseconds()), ("$metadata", metadata.Count > 0 ? JsonSerializer.Serialize(metadata, LocalJsonContext.Default.DictionaryStringString) : null));
                return QueueEvents(connection, transaction, new BlobEvent(bucket, name, BlobEvents.Created, properties.LastModified, Guid.NewGuid().ToString("N"))
                {
                    Size = size,
                    ContentType = contentType,
                    ETag = properties.ETag,
                });
            });
            Wake(woken);
            LogWritten(_log, bucket, name, size, properties.ETag, woken.Count);
            return properties;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public BlobDownload? Open(string bucket, string name, BlobRange? range)
    {
        BlobRules.ValidateName(name);
        range?.Validate();
        // The row and the file are read under the store's lock, so they match: a later replacement renames a new file over the
        // path, and this handle keeps reading the content it opened.
        var opened = _store.Run(connection =>
        {
            var row = ReadRow(connection, null, bucket, name);
            if (row is null) return default((BlobRow, FileStream)?);
            return (row, new FileStream(Path.Combine(Root, bucket, row.Path), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan));
        });
        if (opened is not var (found, file)) return null;
        var properties = found.ToProperties();
        if (range is not { } r) return new BlobDownload(properties, file);
        var offset = Math.Min(r.Offset, properties.Size);
        var length = Math.Min(r.Length ?? long.MaxValue, properties.Size - offset);
        file.Seek(offset, SeekOrigin.Begin);
        return new BlobDownload(properties, new BoundedReadStream(file, length), r);
    }

    public BlobProperties? Properties(string bucket, string name)
    {
        BlobRules.ValidateName(name);
        return ReadRow(bucket, name)?.ToProperties();
    }

    public bool Delete(string bucket, string name, ExpectedVersion expected)
    {
        BlobRules.ValidateName(name);
        var (deleted, woken) = _store.InTransaction((connection, transaction) =>
        {
            var row = ReadRow(connection, transaction, bucket, name);
            if (!Holds(row, expected) || (row is not null && expected.Kind == ExpectedVersionKind.None)) throw new ConcurrencyConflictException(bucket, name, expected);
            if (row is null) return (false, (IReadOnlyList<string>)[]);
            connection.Execute("DELETE FROM blobs WHERE bucket = $bucket AND name = $name", transaction, ("$bucket", bucket), ("$name", name));
            File.Delete(Path.Combine(Root, bucket, row.Path));
            return (true, QueueEvents(connection, transaction, new BlobEvent(bucket, name, BlobEvents.Deleted, _time.GetUtcNow(), Guid.NewGuid().ToString("N")) { ETag = row.ETag }));
        });
        Wake(woken);
        if (deleted) LogDeleted(_log, bucket, name, woken.Count);
        return deleted;
    }

    public Page<BlobItem> List(string bucket, string? prefix, PageRequest request)
    {
        prefix ??= "";
        string after;
        try
        {
            after = request.ContinuationToken is { } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : "";
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The continuation token was not made by this bucket's ListAsync.", nameof(request), e);
        }

        var items = _store.Run(connection =>
        {
            using var command = connection.Command(
                """
                SELECT name, size, etag, modified FROM blobs
                WHERE bucket = $bucket AND name >= $prefix AND substr(name, 1, length($prefix)) = $prefix AND name > $after
                ORDER BY name LIMIT $limit
                """,
                null, ("$bucket", bucket), ("$prefix", prefix), ("$after", after), ("$limit", request.PageSize + 1));
            using var reader = command.ExecuteReader();
            var list = new List<BlobItem>();
            while (reader.Read())
            {
                list.Add(new BlobItem(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }

            return list;
        });
        if (items.Count <= request.PageSize) return new Page<BlobItem>(items, null);
        items.RemoveAt(items.Count - 1);
        return new Page<BlobItem>(items, Convert.ToBase64String(Encoding.UTF8.GetBytes(items[^1].Name)));
    }

    /// <summary>A URL of this host, signed with the data folder's key, that reads or writes one object until it expires.</summary>
    public Uri SignedUrl(string bucket, string name, BlobSignedUrlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        BlobRules.ValidateName(name);
        options.Validate();
        var expires = (_time.GetUtcNow() + options.ExpiresIn).ToUnixTimeSeconds();
        var access = options.Access == BlobAccess.Write ? "write" : "read";
        var contentType = options.Access == BlobAccess.Write ? options.ContentType : null;
        var query = new StringBuilder()
            .Append("?expires=").Append(expires.ToString(CultureInfo.InvariantCulture))
            .Append("&access=").Append(access);
        if (contentType is not null) query.Append("&contentType=").Append(Uri.EscapeDataString(contentType));
        query.Append("&sig=").Append(Sign(access, bucket, name, expires, contentType));
        return new Uri($"{BaseAddress()}{ObjectPath(bucket, name)}{query}");
    }

    /// <summary>Checks a signed URL's parameters: null when it allows <paramref name="access"/> now, else why not.</summary>
    public string? Verify(string bucket, string name, string access, string? expires, string? signedAccess, string? contentType, string? signature)
    {
        if (expires is null || signedAccess is null || signature is null) return "the URL lacks one of expires, access and sig";
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)) return "expires is not a number";
        var expected = Sign(signedAccess, bucket, name, expiresAt, contentType);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant())))
        {
            return "the signature does not match (the URL was changed, or signed with another data folder's key)";
        }

        if (_time.GetUtcNow().ToUnixTimeSeconds() > expiresAt) return $"the URL expired at {DateTimeOffset.FromUnixTimeSeconds(expiresAt):O}";
        return signedAccess == access ? null : $"the URL allows {signedAccess}, not {access}";
    }

    /// <summary>The admin API path of an object: each segment of the name escaped, slashes kept.</summary>
    public static string ObjectPath(string bucket, string name)
        => $"/_portable/buckets/{bucket}/objects/{string.Join('/', name.Split('/').Select(Uri.EscapeDataString))}";

    public void Dispose()
    {
        if (!_deleteAtStop) return;
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException e)
        {
            LogCleanupFailed(_log, e, Root);
        }
        catch (UnauthorizedAccessException e)
        {
            LogCleanupFailed(_log, e, Root);
        }
    }

    private string Sign(string access, string bucket, string name, long expires, string? contentType)
    {
        var text = $"{access}\n{bucket}\n{name}\n{expires.ToString(CultureInfo.InvariantCulture)}\n{contentType}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));
    }

    private string BaseAddress()
    {
        var addresses = _services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        return address is not null ? address.TrimEnd('/') : $"http://127.0.0.1:{_options.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    private static bool Holds(BlobRow? row, ExpectedVersion expected) => expected.Kind switch
    {
        ExpectedVersionKind.None => row is null,
        ExpectedVersionKind.Exactly => row is not null && string.Equals(row.ETag, expected.Version, StringComparison.Ordinal),
        _ => true,
    };

    /// <summary>Queues the event for every blob function of its bucket that takes its type, in the write's transaction.</summary>
    private List<string> QueueEvents(SqliteConnection connection, SqliteTransaction transaction, BlobEvent blobEvent)
    {
        var queues = _catalog.Functions
            .Where(f => f.Trigger.Kind == TriggerKind.Blob && f.Trigger.Name == blobEvent.Bucket && (f.Trigger.BlobEvents & blobEvent.Type) != 0)
            .Select(QueueDispatcher.QueueOf)
            .ToList();
        if (queues.Count == 0) return queues;
        var body = JsonSerializer.SerializeToUtf8Bytes(blobEvent, LocalJsonContext.Default.BlobEvent);
        foreach (var queue in queues) _queues.EnqueueIn(connection, transaction, queue, body);
        return queues;
    }

    private void Wake(IReadOnlyList<string> queues)
    {
        foreach (var queue in queues) _queues.WakeUpFor(queue).Set();
    }

    private BlobRow? ReadRow(string bucket, string name) => _store.Run(connection => ReadRow(connection, null, bucket, name));

    private static BlobRow? ReadRow(SqliteConnection connection, SqliteTransaction? transaction, string bucket, string name)
    {
        using var command = connection.Command(
            "SELECT path, size, content_type, etag, modified, metadata FROM blobs WHERE bucket = $bucket AND name = $name",
            transaction, ("$bucket", bucket), ("$name", name));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        var metadata = reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), LocalJsonContext.Default.DictionaryStringString);
        return new BlobRow(name, reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), metadata);
    }

    private static byte[] ReadOrCreateKey(string path)
    {
        try
        {
            using var created = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            var key = RandomNumberGenerator.GetBytes(32);
            created.Write(key);
            created.Flush(flushToDisk: true);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created before (or just now by another process): read it, waiting briefly for its writer.
            for (var attempt = 0; ; attempt++)
            {
                var key = File.ReadAllBytes(path);
                if (key.Length == 32 || attempt == 50) return key.Length == 32 ? key : throw new PortableConfigurationException($"The signing key {path} is damaged: delete it (URLs signed with it stop working).");
                Thread.Sleep(10);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Object {Bucket}/{Name} written ({Size} bytes, ETag {ETag}); {Functions} blob function queue(s) notified")]
    private static partial void LogWritten(ILogger logger, string bucket, string name, long size, string etag, int functions);

    [LoggerMessage(2, LogLevel.Debug, "Object {Bucket}/{Name} deleted; {Functions} blob function queue(s) notified")]
    private static partial void LogDeleted(ILogger logger, string bucket, string name, int functions);

    [LoggerMessage(3, LogLevel.Warning, "Could not delete the in-memory buckets' folder {Folder}; delete it by hand")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string folder);
}
