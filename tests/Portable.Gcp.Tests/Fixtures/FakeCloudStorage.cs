using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>
/// An in-test Cloud Storage (Kestrel on 127.0.0.1, a free port), written from Google's JSON API documentation because no Cloud
/// Storage emulator can be installed here: <c>objects.get</c> (resource, or <c>alt=media</c> with <c>Range</c>, 206 / 416),
/// <c>objects.delete</c>, <c>objects.list</c> (<c>prefix</c>, <c>maxResults</c> up to 1000, <c>pageToken</c>, names in UTF-8 byte
/// order), uploads (<c>uploadType=multipart</c>, and <c>resumable</c>: session URI, chunks of multiples of 256 KiB, <c>308</c> with
/// <c>Range</c>, status queries with <c>bytes */*</c>, cancel), <c>ifGenerationMatch</c> on each (412), Google error bodies, and
/// V4 signed URLs on <c>/{bucket}/{object}</c> checked against the test service account's public key (403 when the signature
/// does not match or the URL has expired). It also plays the metadata server (token and the account's email) and the IAM
/// Credentials API's <c>signBlob</c>, signing with that key. Content lives in files, so a 200 MB object does not sit in memory.
/// Faults can be planned (<see cref="Fail"/>) for retry tests. <see cref="TryHandleAsync"/> lets another fake server serve these
/// routes too.
/// </summary>
internal sealed class FakeCloudStorage : IAsyncDisposable
{
    private const int Quantum = 256 * 1024;
    private readonly WebApplication? _web;
    private readonly string _folder = Directory.CreateTempSubdirectory("portable-fake-gcs-").FullName;
    private readonly Dictionary<(string Bucket, string Name), StoredObject> _objects = [];
    private readonly HashSet<string> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly Lock _gate = new();
    private readonly RSA _key;
    private long _generation = 1_764_000_000_000_000;

    private FakeCloudStorage(WebApplication? web)
    {
        _web = web;
        (Email, _key) = TestServiceAccount.Load();
    }

    public string HostAndPort { get; private set; } = "";

    /// <summary>The runtime service account's email the metadata server gives (the test key's account).</summary>
    public string Email { get; }

    /// <summary>Every request, as <c>METHOD path?query</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The number of <c>signBlob</c> calls.</summary>
    public int SignBlobCalls => _signBlobCalls;

    private int _signBlobCalls;

    public static async Task<FakeCloudStorage> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        var web = builder.Build();
        var fake = new FakeCloudStorage(web);
        web.Run(async context =>
        {
            if (!await fake.TryHandleAsync(context)) await Error(context, 404, "notFound", "No such API");
        });
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.HostAndPort = new Uri(address).Authority;
        return fake;
    }

    /// <summary>Makes a bucket (objects in an unknown bucket answer 404, as on Cloud Storage).</summary>
    public void CreateBucket(string bucket)
    {
        lock (_gate) _buckets.Add(bucket);
    }

    /// <summary>Plans a fault for the next request that <paramref name="match"/> accepts (given <c>METHOD path?query</c>).</summary>
    public void Fail(Func<string, bool> match, StorageFault kind) => _faults.Enqueue(new Fault(match, kind));

    /// <summary>How many planned faults have not met their request yet.</summary>
    public int PendingFaults => _faults.Count(f => !f.Taken);

    /// <summary>The stored generation of an object, or null.</summary>
    public long? Generation(string bucket, string name)
    {
        lock (_gate) return _objects.TryGetValue((bucket, name), out var stored) ? stored.Generation : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.StopAsync();
            await _web.DisposeAsync();
        }

        _key.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Serves the request when it is for one of this fake's routes; false otherwise (nothing written).</summary>
    public async Task<bool> TryHandleAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var path = target.Split('?')[0];
        var method = context.Request.Method;
        var line = $"{method} {target}";
        var json = path.StartsWith("/storage/v1/b/", StringComparison.Ordinal) || path.StartsWith("/upload/storage/v1/b/", StringComparison.Ordinal);
        var signed = context.Request.Query.ContainsKey("X-Goog-Signature");
        var metadata = path.StartsWith("/computeMetadata/v1/instance/service-accounts/default/", StringComparison.Ordinal);
        var signBlob = path.StartsWith("/v1/projects/-/serviceAccounts/", StringComparison.Ordinal) && path.EndsWith(":signBlob", StringComparison.Ordinal);
        if (!json && !signed && !metadata && !signBlob) return false;
        Requests.Enqueue(line);

        foreach (var fault in _faults)
        {
            if (!fault.Match(line) || fault.Taken) continue;
            lock (fault)
            {
                if (fault.Taken) continue;
                fault.Taken = true;
            }

            if (fault.Kind == StorageFault.Unavailable)
            {
                await Error(context, 503, "backendError", "Planned: service unavailable");
                return true;
            }

            if (fault.Kind == StorageFault.Drop)
            {
                context.Abort();
                return true;
            }

            context.Items["drop"] = true;
            break;
        }

        if (metadata) await MetadataAsync(context, path);
        else if (signBlob) await SignBlobAsync(context);
        else if (signed) await SignedAsync(context, path);
        else if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal)) await Error(context, 401, "required", "Login Required");
        else if (path.StartsWith("/upload/", StringComparison.Ordinal)) await UploadAsync(context, path["/upload/storage/v1/b/".Length..]);
        else await ObjectsAsync(context, path["/storage/v1/b/".Length..]);
        return true;
    }

    private async Task MetadataAsync(HttpContext context, string path)
    {
        if (context.Request.Headers["Metadata-Flavor"] != "Google") await Error(context, 403, "forbidden", "Missing Metadata-Flavor: Google");
        else if (path.EndsWith("/email", StringComparison.Ordinal)) await Respond(context, 200, "text/plain", Encoding.UTF8.GetBytes(Email));
        else if (path.EndsWith("/token", StringComparison.Ordinal)) await Respond(context, 200, "application/json", """{"access_token":"metadata-token","expires_in":3599,"token_type":"Bearer"}"""u8.ToArray());
        else await Error(context, 404, "notFound", "No such metadata");
    }

    /// <summary>IAM Credentials <c>signBlob</c>: RSA-SHA256 (PKCS#1 v1.5) of the payload with the account's key.</summary>
    private async Task SignBlobAsync(HttpContext context)
    {
        Interlocked.Increment(ref _signBlobCalls);
        var account = Uri.UnescapeDataString(context.Request.Path.Value!["/v1/projects/-/serviceAccounts/".Length..^":signBlob".Length]);
        if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal)) { await Error(context, 401, "UNAUTHENTICATED", "No bearer token"); return; }
        if (account != Email) { await Error(context, 403, "PERMISSION_DENIED", $"Permission 'iam.serviceAccounts.signBlob' denied on {account}"); return; }
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var signature = _key.SignData(body.RootElement.GetProperty("payload").GetBytesFromBase64(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        await Respond(context, 200, "application/json", Encoding.UTF8.GetBytes($$"""{"keyId":"ffffffffffffffffffffffffffffffffffffffff","signedBlob":"{{Convert.ToBase64String(signature)}}"}"""));
    }

    private async Task ObjectsAsync(HttpContext context, string rest)
    {
        var parts = rest.Split('/', 3);
        var bucket = Uri.UnescapeDataString(parts[0]);
        if (!BucketExists(bucket)) { await Error(context, 404, "notFound", "The specified bucket does not exist."); return; }
        if (parts.Length == 2 && parts[1] == "o" && context.Request.Method == "GET") { await ListAsync(context, bucket); return; }
        if (parts.Length != 3 || parts[1] != "o") { await Error(context, 400, "invalid", "Unsupported path"); return; }
        var name = Uri.UnescapeDataString(parts[2]); // the object name is one path segment, "/" sent as %2F
        var condition = context.Request.Query["ifGenerationMatch"].FirstOrDefault();
        StoredObject? stored;
        lock (_gate) _objects.TryGetValue((bucket, name), out stored);
        switch (context.Request.Method)
        {
            case "GET":
                if (stored is null) { await Error(context, 404, "notFound", $"No such object: {bucket}/{name}"); return; }
                if (!Holds(condition, stored)) { await Error(context, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold."); return; }
                if (context.Request.Query["alt"] == "media") await MediaAsync(context, stored);
                else await Respond(context, 200, "application/json", Resource(stored));
                return;
            case "DELETE":
                lock (_gate)
                {
                    _objects.TryGetValue((bucket, name), out stored);
                    if (stored is not null && Holds(condition, stored)) _objects.Remove((bucket, name));
                }

                if (stored is null) await Error(context, 404, "notFound", $"No such object: {bucket}/{name}");
                else if (!Holds(condition, stored)) await Error(context, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
                else await Respond(context, 204, null, []);
                return;
            default:
                await Error(context, 405, "invalid", "Method not allowed");
                return;
        }
    }

    private async Task ListAsync(HttpContext context, string bucket)
    {
        var prefix = context.Request.Query["prefix"].FirstOrDefault() ?? "";
        var max = int.TryParse(context.Request.Query["maxResults"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? Math.Clamp(m, 1, 1000) : 1000;
        var after = context.Request.Query["pageToken"].FirstOrDefault() is { Length: > 0 } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : null;
        List<StoredObject> page;
        bool more;
        lock (_gate)
        {
            var all = _objects.Values.Where(o => o.Bucket == bucket && o.Name.StartsWith(prefix, StringComparison.Ordinal))
                .Where(o => after is null || Utf8Compare(o.Name, after) > 0)
                .OrderBy(o => o.Name, Comparer<string>.Create(Utf8Compare)).ToList();
            page = all.Take(max).ToList();
            more = all.Count > max;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", "storage#objects");
            if (more) json.WriteString("nextPageToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Name)));
            json.WriteStartArray("items");
            foreach (var item in page) WriteResource(json, item);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        await Respond(context, 200, "application/json", buffer.ToArray());
    }

    private async Task MediaAsync(HttpContext context, StoredObject stored)
    {
        long start = 0, end = stored.Size - 1;
        var ranged = false;
        if (context.Request.Headers.Range.FirstOrDefault() is { } range)
        {
            var spec = range["bytes=".Length..].Split('-');
            start = long.Parse(spec[0], CultureInfo.InvariantCulture);
            if (spec[1].Length > 0) end = Math.Min(end, long.Parse(spec[1], CultureInfo.InvariantCulture));
            if (start >= stored.Size) { await Error(context, 416, "requestedRangeNotSatisfiable", "The requested range cannot be satisfied."); return; }
            ranged = true;
        }

        context.Response.StatusCode = ranged ? 206 : 200;
        context.Response.ContentType = stored.ContentType;
        context.Response.ContentLength = end - start + 1;
        context.Response.Headers["x-goog-generation"] = stored.Generation.ToString(CultureInfo.InvariantCulture);
        if (ranged) context.Response.Headers.ContentRange = $"bytes {start}-{end}/{stored.Size}";
        if (stored.Size == 0) return;
        await using var file = new FileStream(stored.File, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
        file.Position = start;
        await StreamCopyOperation(file, context.Response.Body, end - start + 1, context.RequestAborted);
    }

    private async Task UploadAsync(HttpContext context, string rest)
    {
        var parts = rest.Split('/');
        var bucket = Uri.UnescapeDataString(parts[0]);
        if (!BucketExists(bucket)) { await Error(context, 404, "notFound", "The specified bucket does not exist."); return; }
        var type = context.Request.Query["uploadType"].FirstOrDefault();
        var condition = context.Request.Query["ifGenerationMatch"].FirstOrDefault();
        if (context.Request.Query["upload_id"].FirstOrDefault() is { } id)
        {
            await SessionAsync(context, id);
            return;
        }

        if (context.Request.Method != "POST") { await Error(context, 405, "invalid", "Method not allowed"); return; }
        if (type == "multipart")
        {
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(context.Request.ContentType).Boundary).Value!;
            var reader = new MultipartReader(boundary, context.Request.Body);
            var first = await reader.ReadNextSectionAsync();
            using var resource = await JsonDocument.ParseAsync(first!.Body);
            var media = await reader.ReadNextSectionAsync();
            if (media is null) { await Error(context, 400, "invalid", "A multipart upload needs the metadata part and the media part."); return; }
            var file = NewFile();
            await using (var output = File.Create(file)) await media.Body.CopyToAsync(output);
            await CommitAsync(context, bucket, resource.RootElement, media.ContentType, condition, file);
            return;
        }

        if (type == "resumable")
        {
            using var resource = await JsonDocument.ParseAsync(context.Request.Body);
            var session = new Session(bucket, resource.RootElement.Clone(), context.Request.Headers["X-Upload-Content-Type"].FirstOrDefault(), condition, NewFile());
            File.Create(session.File).Dispose();
            var sessionId = Guid.NewGuid().ToString("N");
            _sessions[sessionId] = session;
            context.Response.Headers.Location = $"http://{context.Request.Host}/upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o?uploadType=resumable&upload_id={sessionId}";
            await Respond(context, 200, null, []);
            return;
        }

        await Error(context, 400, "invalid", $"uploadType '{type}' is not supported here.");
    }

    /// <summary>A resumable session's chunk, status query or cancellation.</summary>
    private async Task SessionAsync(HttpContext context, string id)
    {
        if (!_sessions.TryGetValue(id, out var session)) { await Error(context, 404, "notFound", "No such upload session."); return; }
        if (context.Request.Method == "DELETE")
        {
            _sessions.TryRemove(id, out _);
            await Respond(context, 499, null, []);
            return;
        }

        if (session.Result is { } done)
        {
            await Respond(context, 200, "application/json", Resource(done));
            return;
        }

        var header = context.Request.Headers.ContentRange.FirstOrDefault() ?? "";
        var spec = header.StartsWith("bytes ", StringComparison.Ordinal) ? header[6..].Split('/') : [];
        if (spec.Length != 2) { await Error(context, 400, "invalid", $"Bad Content-Range '{header}'."); return; }
        long? total = spec[1] == "*" ? null : long.Parse(spec[1], CultureInfo.InvariantCulture);
        await session.Gate.WaitAsync();
        try
        {
            if (spec[0] != "*")
            {
                var bounds = spec[0].Split('-');
                var start = long.Parse(bounds[0], CultureInfo.InvariantCulture);
                var end = long.Parse(bounds[1], CultureInfo.InvariantCulture);
                if (start > session.Persisted) { await Error(context, 400, "invalid", $"The chunk starts at {start}, after the {session.Persisted} bytes persisted."); return; }
                if (total is null && (end + 1 - start) % Quantum != 0) { await Error(context, 400, "invalid", "A chunk other than the last must be a multiple of 256 KiB."); return; }
                var skip = session.Persisted - start;
                await using var file = new FileStream(session.File, FileMode.Append, FileAccess.Write, FileShare.Read, 81920, useAsync: true);
                var buffer = new byte[81920];
                long received = 0;
                int n;
                while ((n = await context.Request.Body.ReadAsync(buffer)) > 0)
                {
                    var from = (int)Math.Clamp(skip - received, 0, n);
                    if (from < n) await file.WriteAsync(buffer.AsMemory(from, n - from));
                    received += n;
                }

                if (received != end + 1 - start) { await Error(context, 400, "invalid", $"Content-Range says {end + 1 - start} bytes; the body had {received}."); return; }
                session.Persisted = end + 1;
            }

            if (total is { } size && session.Persisted == size)
            {
                await CommitAsync(context, session.Bucket, session.Resource, session.ContentType, session.Condition, session.File, s => session.Result = s);
                return;
            }

            if (session.Persisted > 0) context.Response.Headers["Range"] = $"bytes=0-{session.Persisted - 1}";
            await Respond(context, 308, null, []);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    /// <summary>Stores an uploaded file as the object's new generation when the precondition holds.</summary>
    private async Task CommitAsync(HttpContext context, string bucket, JsonElement resource, string? mediaType, string? condition, string file, Action<StoredObject>? done = null)
    {
        var name = resource.GetProperty("name").GetString()!;
        var contentType = resource.TryGetProperty("contentType", out var t) ? t.GetString()! : mediaType ?? "application/octet-stream";
        var metadata = resource.TryGetProperty("metadata", out var m) ? m.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : [];
        StoredObject? stored = null;
        lock (_gate)
        {
            _objects.TryGetValue((bucket, name), out var current);
            if (condition is null || (current is null ? condition == "0" : Holds(condition, current)))
            {
                stored = new StoredObject(bucket, name, contentType, metadata, ++_generation, new FileInfo(file).Length, DateTimeOffset.UtcNow, file);
                _objects[(bucket, name)] = stored;
            }
        }

        if (stored is null)
        {
            File.Delete(file);
            await Error(context, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
            return;
        }

        done?.Invoke(stored);
        await Respond(context, 200, "application/json", Resource(stored));
    }

    /// <summary>A V4 signed URL: the signature recomputed from the request as the signing documentation describes, then GET or PUT.</summary>
    private async Task SignedAsync(HttpContext context, string path)
    {
        var query = context.Features.Get<IHttpRequestFeature>()!.RawTarget.Split('?', 2)[1].Split('&')
            .Select(p => p.Split('=', 2)).Select(p => (Name: Uri.UnescapeDataString(p[0]), Value: Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))).ToList();
        string Param(string name) => query.FirstOrDefault(p => p.Name == name).Value ?? "";
        var date = DateTimeOffset.ParseExact(Param("X-Goog-Date"), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var expires = long.Parse(Param("X-Goog-Expires"), CultureInfo.InvariantCulture);
        var credential = Param("X-Goog-Credential");
        var scope = credential[(credential.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var signedHeaders = Param("X-Goog-SignedHeaders").Split(';');
        string Encode(string s) => Uri.EscapeDataString(s);
        var canonicalPath = string.Join('/', path.Split('/').Select(segment => Encode(Uri.UnescapeDataString(segment))));
        var canonicalQuery = string.Join('&', query.Where(p => p.Name != "X-Goog-Signature").Select(p => (Name: Encode(p.Name), Value: Encode(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value}"));
        var headers = signedHeaders.Select(h => h + ":" + (h == "host" ? context.Request.Host.Host : string.Join(' ', context.Request.Headers[h].ToString().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))));
        var payload = signedHeaders.Contains("x-goog-content-sha256") ? context.Request.Headers["x-goog-content-sha256"].ToString() : "UNSIGNED-PAYLOAD";
        var canonical = $"{context.Request.Method}\n{canonicalPath}\n{canonicalQuery}\n{string.Join('\n', headers)}\n\n{string.Join(';', signedHeaders)}\n{payload}";
        var toSign = $"GOOG4-RSA-SHA256\n{Param("X-Goog-Date")}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        byte[] signature;
        try
        {
            signature = Convert.FromHexString(Param("X-Goog-Signature"));
        }
        catch (FormatException)
        {
            signature = [];
        }

        if (Param("X-Goog-Algorithm") != "GOOG4-RSA-SHA256" || !credential.StartsWith(Email + "/", StringComparison.Ordinal)
            || !_key.VerifyData(Encoding.UTF8.GetBytes(toSign), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            await Xml(context, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
            return;
        }

        if (DateTimeOffset.UtcNow > date.AddSeconds(expires))
        {
            await Xml(context, 403, "ExpiredToken", "The provided token has expired.");
            return;
        }

        var segments = path.TrimStart('/').Split('/', 2);
        var bucket = Uri.UnescapeDataString(segments[0]);
        var name = string.Join('/', segments[1].Split('/').Select(Uri.UnescapeDataString));
        if (context.Request.Method == "PUT")
        {
            if (!BucketExists(bucket)) { await Xml(context, 404, "NoSuchBucket", "The specified bucket does not exist."); return; }
            var file = NewFile();
            await using (var output = File.Create(file)) await context.Request.Body.CopyToAsync(output);
            using var resource = JsonDocument.Parse($$"""{"name":"{{JsonEncodedText.Encode(name)}}"}""");
            await CommitAsync(context, bucket, resource.RootElement, context.Request.ContentType, null, file);
            return;
        }

        StoredObject? stored;
        lock (_gate) _objects.TryGetValue((bucket, name), out stored);
        if (stored is null) await Xml(context, 404, "NoSuchKey", "The specified key does not exist.");
        else await MediaAsync(context, stored);
    }

    private bool BucketExists(string bucket)
    {
        lock (_gate) return _buckets.Contains(bucket);
    }

    private string NewFile() => Path.Combine(_folder, Guid.NewGuid().ToString("N"));

    private static bool Holds(string? condition, StoredObject current)
        => condition is null || condition == current.Generation.ToString(CultureInfo.InvariantCulture);

    private static int Utf8Compare(string? a, string? b) => Encoding.UTF8.GetBytes(a ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b ?? ""));

    private static byte[] Resource(StoredObject stored)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer)) WriteResource(json, stored);
        return buffer.ToArray();
    }

    /// <summary>The object resource as the JSON API writes it: 64-bit numbers as decimal strings.</summary>
    private static void WriteResource(Utf8JsonWriter json, StoredObject stored)
    {
        json.WriteStartObject();
        json.WriteString("kind", "storage#object");
        json.WriteString("id", $"{stored.Bucket}/{stored.Name}/{stored.Generation}");
        json.WriteString("name", stored.Name);
        json.WriteString("bucket", stored.Bucket);
        json.WriteString("generation", stored.Generation.ToString(CultureInfo.InvariantCulture));
        json.WriteString("metageneration", "1");
        json.WriteString("contentType", stored.ContentType);
        json.WriteString("size", stored.Size.ToString(CultureInfo.InvariantCulture));
        json.WriteString("updated", stored.Updated.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("etag", "C" + stored.Generation.ToString(CultureInfo.InvariantCulture)[^6..]);
        if (stored.Metadata.Count > 0)
        {
            json.WriteStartObject("metadata");
            foreach (var (key, value) in stored.Metadata) json.WriteString(key, value);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static async Task StreamCopyOperation(Stream source, Stream target, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
            if (read == 0) break;
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            count -= read;
        }
    }

    private static async Task Respond(HttpContext context, int status, string? contentType, byte[] body)
    {
        if (context.Items.ContainsKey("drop"))
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = status;
        if (contentType is not null) context.Response.ContentType = contentType;
        if (status != 204 && status != 308 && body.Length > 0) await context.Response.Body.WriteAsync(body);
    }

    /// <summary>A JSON API error body: <c>{"error":{"code":…,"message":…,"errors":[{"reason":…,"message":…}]}}</c>.</summary>
    private static Task Error(HttpContext context, int code, string reason, string message)
    {
        var text = JsonEncodedText.Encode(message);
        return Respond(context, code, "application/json",
            Encoding.UTF8.GetBytes($$$"""{"error":{"code":{{{code}}},"message":"{{{text}}}","errors":[{"reason":"{{{reason}}}","message":"{{{text}}}"}]}}"""));
    }

    private static Task Xml(HttpContext context, int code, string error, string message)
        => Respond(context, code, "application/xml", Encoding.UTF8.GetBytes($"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{error}</Code><Message>{message}</Message></Error>"));

    private sealed record StoredObject(string Bucket, string Name, string ContentType, Dictionary<string, string> Metadata, long Generation, long Size, DateTimeOffset Updated, string File);

    private sealed class Session(string bucket, JsonElement resource, string? contentType, string? condition, string file)
    {
        public string Bucket { get; } = bucket;

        public JsonElement Resource { get; } = resource;

        public string? ContentType { get; } = contentType;

        public string? Condition { get; } = condition;

        public string File { get; } = file;

        public long Persisted { get; set; }

        public StoredObject? Result { get; set; }

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    private sealed class Fault(Func<string, bool> match, StorageFault kind)
    {
        public Func<string, bool> Match { get; } = match;

        public StorageFault Kind { get; } = kind;

        public bool Taken { get; set; }
    }
}
