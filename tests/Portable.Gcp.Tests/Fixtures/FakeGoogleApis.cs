using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>
/// An in-test HTTP server (Kestrel on 127.0.0.1, a free port) implementing the documented behaviour of the Google APIs the adapter
/// relies on, because no Google emulator can be installed here: Firestore REST v1 documents get / patch / delete / list with
/// <c>currentDocument</c> preconditions (times compared as times), <c>updateMask</c>, the id and field-name rules, and Google error bodies; Pub/Sub REST v1 <c>topics.publish</c>; the metadata server's token
/// and project id; and the OAuth token endpoint's JWT bearer grant (checking the RS256 signature).
/// </summary>
internal sealed partial class FakeGoogleApis : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly ConcurrentDictionary<string, StoredDocument> _documents = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _clock = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
    private long _messageIds = 1000;

    private FakeGoogleApis(WebApplication web) => _web = web;

    public string HostAndPort { get; private set; } = "";

    public RSA? ServiceAccountKey { get; set; }

    public ConcurrentQueue<PublishedMessage> Published { get; } = new();

    public ConcurrentQueue<string> Authorizations { get; } = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FakeGoogleApis> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var web = builder.Build();
        var fake = new FakeGoogleApis(web);
        web.Run(fake.HandleAsync);
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.HostAndPort = new Uri(address).Authority;
        return fake;
    }

    public IReadOnlyList<PublishedMessage> PublishedTo(string topic) => Published.Where(m => m.Topic == topic).ToList();

    public JsonElement? Document(string collection, string id)
        => _documents.TryGetValue($"{collection}/{id}", out var stored) ? Vectors.Parse(stored.Fields) : null;

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        // The path as sent (Kestrel's Request.Path is already decoded once; the segments are decoded below, once, as Google does).
        var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
        var path = target.Split('?')[0];
        var method = context.Request.Method;
        Requests.Enqueue($"{method} {path}{context.Request.QueryString}");
        if (context.Request.Headers.Authorization.FirstOrDefault() is { } auth) Authorizations.Enqueue(auth);

        if (path.StartsWith("/computeMetadata/v1/", StringComparison.Ordinal))
        {
            if (context.Request.Headers["Metadata-Flavor"] != "Google") { await Error(context, 403, "PERMISSION_DENIED", "Missing Metadata-Flavor: Google"); return; }
            if (path.EndsWith("/token", StringComparison.Ordinal)) { await Json(context, 200, """{"access_token":"metadata-token","expires_in":3599,"token_type":"Bearer"}"""); return; }
            if (path.EndsWith("/project-id", StringComparison.Ordinal)) { await Text(context, "metadata-project"); return; }
        }

        if (path == "/token" && method == "POST")
        {
            await TokenAsync(context);
            return;
        }

        if (!path.StartsWith("/v1/projects/", StringComparison.Ordinal)) { await Error(context, 404, "NOT_FOUND", "No such API"); return; }
        if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal)) { await Error(context, 401, "UNAUTHENTICATED", "No bearer token"); return; }
        if (!path.StartsWith("/v1/projects/test-project/", StringComparison.Ordinal)) { await Error(context, 403, "PERMISSION_DENIED", "The caller does not have permission"); return; }

        var publish = path.IndexOf("/topics/", StringComparison.Ordinal);
        if (publish > 0 && path.EndsWith(":publish", StringComparison.Ordinal) && method == "POST")
        {
            await PublishAsync(context, Uri.UnescapeDataString(path[(publish + 8)..^8]));
            return;
        }

        var documents = path.IndexOf("/documents/", StringComparison.Ordinal);
        if (documents < 0) { await Error(context, 404, "NOT_FOUND", "No such resource"); return; }
        var parts = path[(documents + 11)..].Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (parts.Length == 1 && method == "GET") await ListAsync(context, path[..(documents + 10)], parts[0]);
        else if (parts.Length == 2) await DocumentAsync(context, path[..(documents + 10)], parts[0], parts[1]);
        else await Error(context, 400, "INVALID_ARGUMENT", "Unsupported path");
    }

    private async Task DocumentAsync(HttpContext context, string prefix, string collection, string id)
    {
        var key = $"{collection}/{id}";
        var exists = context.Request.Query["currentDocument.exists"].FirstOrDefault();
        var updateTime = context.Request.Query["currentDocument.updateTime"].FirstOrDefault();
        var mask = context.Request.Query["updateMask.fieldPaths"];
        var body = context.Request.Method == "PATCH" ? await new StreamReader(context.Request.Body).ReadToEndAsync() : null;
        if (InvalidDocumentId(id) is { } invalidId) { await Error(context, 400, "INVALID_ARGUMENT", invalidId); return; }
        if (updateTime is not null && Timestamp(updateTime) is null) { await Error(context, 400, "INVALID_ARGUMENT", $"Invalid value at 'current_document.update_time' (type.googleapis.com/google.protobuf.Timestamp), Field 'updateTime', Invalid time format: {updateTime}"); return; }
        if (mask.FirstOrDefault(p => !SimpleFieldPath().IsMatch(p!)) is { } badPath) { await Error(context, 400, "INVALID_ARGUMENT", $"The fake supports top-level simple field paths only, not '{badPath}'."); return; }
        var incoming = body is null ? null : JsonNode.Parse(body)!["fields"] as JsonObject ?? [];
        if (incoming is not null && ReservedFieldName(incoming) is { } reserved) { await Error(context, 400, "INVALID_ARGUMENT", $"Field name '{reserved}' is reserved: names matching __.*__ are."); return; }

        string? response = null;
        int status = 200;
        string? errorStatus = null;
        lock (_gate)
        {
            _documents.TryGetValue(key, out var current);
            if (exists == "false" && current is not null) (status, errorStatus) = (409, "ALREADY_EXISTS");
            else if (exists == "true" && current is null) (status, errorStatus) = (404, "NOT_FOUND");
            else if (updateTime is not null && current is null) (status, errorStatus) = (404, "NOT_FOUND");
            else if (updateTime is not null && Timestamp(current!.UpdateTime) != Timestamp(updateTime)) (status, errorStatus) = (400, "FAILED_PRECONDITION");
            else
            {
                switch (context.Request.Method)
                {
                    case "GET":
                        if (current is null) (status, errorStatus) = (404, "NOT_FOUND");
                        else response = Render(prefix, key, current);
                        break;
                    case "PATCH":
                        // Without a mask the document's fields are replaced; with one, each masked field is set from the body, or
                        // deleted when the body lacks it, and every other stored field is kept (fields of the body outside the mask are ignored).
                        JsonObject fields;
                        if (mask.Count == 0) fields = incoming!;
                        else
                        {
                            fields = current is null ? [] : (JsonObject)JsonNode.Parse(current.Fields)!;
                            foreach (var path in mask)
                            {
                                var name = path!.Trim('`');
                                if (incoming!.TryGetPropertyValue(name, out var value)) fields[name] = value?.DeepClone();
                                else fields.Remove(name);
                            }
                        }

                        var now = Tick();
                        var stored = new StoredDocument(fields.ToJsonString(), current?.CreateTime ?? now, now);
                        _documents[key] = stored;
                        response = Render(prefix, key, stored);
                        break;
                    case "DELETE":
                        _documents.TryRemove(key, out _);
                        response = "{}";
                        break;
                    default:
                        (status, errorStatus) = (405, "INVALID_ARGUMENT");
                        break;
                }
            }
        }

        if (errorStatus is not null) await Error(context, status, errorStatus, $"Precondition or lookup failed for {key}");
        else await Json(context, 200, response!);
    }

    /// <summary>Why Firestore refuses a document id (decoded from the path), or null: it holds no <c>/</c>, is not <c>.</c> or <c>..</c>, does not match <c>__.*__</c>, and is at most 1,500 bytes.</summary>
    private static string? InvalidDocumentId(string id)
    {
        if (id.Length == 0 || id.Contains('/', StringComparison.Ordinal)) return $"Document id '{id}' is empty or contains '/'.";
        if (id is "." or "..") return $"Document id '{id}' cannot be '.' or '..'.";
        if (id.Length >= 4 && id.StartsWith("__", StringComparison.Ordinal) && id.EndsWith("__", StringComparison.Ordinal)) return $"Document id '{id}' is reserved: ids matching __.*__ are.";
        return Encoding.UTF8.GetByteCount(id) > 1500 ? "Document id is longer than 1,500 bytes." : null;
    }

    /// <summary>The first field name matching <c>__.*__</c>, at any depth of maps and arrays, or null.</summary>
    private static string? ReservedFieldName(JsonObject fields)
    {
        foreach (var (name, value) in fields)
        {
            if (name.Length >= 4 && name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal)) return name;
            if (value is JsonObject typed && InnerReserved(typed) is { } inner) return inner;
        }

        return null;

        static string? InnerReserved(JsonObject value)
        {
            if (value["mapValue"]?["fields"] is JsonObject map) return ReservedFieldName(map);
            if (value["arrayValue"]?["values"] is JsonArray items)
            {
                foreach (var item in items)
                {
                    if (item is JsonObject element && InnerReserved(element) is { } found) return found;
                }
            }

            return null;
        }
    }

    /// <summary>An RFC 3339 UTC timestamp as a comparable (seconds, nanoseconds) text, or null when it is not one: Firestore compares precondition times as times.</summary>
    private static string? Timestamp(string text)
    {
        var match = TimestampFormat().Match(text);
        if (!match.Success || !DateTime.TryParseExact(match.Groups[1].Value, "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) return null;
        return match.Groups[1].Value + "." + match.Groups[2].Value.PadRight(9, '0');
    }

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$")]
    private static partial Regex TimestampFormat();

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z_0-9]*|`[^`]+`)$")]
    private static partial Regex SimpleFieldPath();

    private async Task ListAsync(HttpContext context, string prefix, string collection)
    {
        var size = int.Parse(context.Request.Query["pageSize"].FirstOrDefault() ?? "100", CultureInfo.InvariantCulture);
        string after;
        try
        {
            after = context.Request.Query["pageToken"].FirstOrDefault() is { Length: > 0 } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : "";
        }
        catch (FormatException)
        {
            // Firestore refuses a page token it did not give out with 400 INVALID_ARGUMENT.
            await Error(context, 400, "INVALID_ARGUMENT", "Invalid page token.");
            return;
        }

        List<KeyValuePair<string, StoredDocument>> page;
        bool more;
        lock (_gate)
        {
            // Documents of the collection after the page token's id, in name order.
            var all = _documents
                .Where(d => d.Key.StartsWith(collection + "/", StringComparison.Ordinal) && string.CompareOrdinal(d.Key[(collection.Length + 1)..], after) > 0)
                .OrderBy(d => d.Key, StringComparer.Ordinal).ToList();
            page = all.Take(size).ToList();
            more = all.Count > size;
        }

        var result = new StringBuilder("{");
        if (page.Count > 0) result.Append("\"documents\":[").AppendJoin(',', page.Select(d => Render(prefix, d.Key, d.Value))).Append(']');
        if (more) result.Append(page.Count > 0 ? "," : "").Append("\"nextPageToken\":\"").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Key[(collection.Length + 1)..]))).Append('"');
        await Json(context, 200, result.Append('}').ToString());
    }

    private async Task PublishAsync(HttpContext context, string topic)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var ids = new List<string>();
        foreach (var message in document.RootElement.GetProperty("messages").EnumerateArray())
        {
            var id = Interlocked.Increment(ref _messageIds).ToString(CultureInfo.InvariantCulture);
            var attributes = message.TryGetProperty("attributes", out var a)
                ? a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
                : new Dictionary<string, string>();
            Published.Enqueue(new PublishedMessage(topic, id, Convert.FromBase64String(message.GetProperty("data").GetString()!), attributes));
            ids.Add(id);
        }

        await Json(context, 200, "{\"messageIds\":[" + string.Join(',', ids.Select(i => $"\"{i}\"")) + "]}");
    }

    private async Task TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || ServiceAccountKey is null) { await Error(context, 400, "INVALID_ARGUMENT", "unsupported grant"); return; }
        var parts = form["assertion"].ToString().Split('.');
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var valid = parts.Length == 3 && ServiceAccountKey.VerifyData(signed, FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
        if (!valid || claims.RootElement.GetProperty("scope").GetString() != "https://www.googleapis.com/auth/cloud-platform")
        {
            await Error(context, 400, "INVALID_ARGUMENT", "invalid_grant");
            return;
        }

        await Json(context, 200, "{\"access_token\":\"sa-token-for-" + claims.RootElement.GetProperty("iss").GetString() + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    }

    private string Tick()
    {
        var micros = Interlocked.Add(ref _clock, 1234);
        return DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)
            + (micros % 1000).ToString("000", CultureInfo.InvariantCulture) + "000Z";
    }

    private static string Render(string prefix, string key, StoredDocument document)
        => $$"""{"name":{{JsonSerializer.Serialize(prefix[4..] + "/" + key)}},"fields":{{document.Fields}},"createTime":"{{document.CreateTime}}","updateTime":"{{document.UpdateTime}}"}""";

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    private static async Task Json(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(json);
    }

    private static async Task Text(HttpContext context, string text)
    {
        context.Response.ContentType = "application/text";
        await context.Response.WriteAsync(text);
    }

    private static Task Error(HttpContext context, int code, string status, string message)
        => Json(context, code, JsonSerializer.Serialize(new { error = new { code, message, status } }));

    private sealed record StoredDocument(string Fields, string CreateTime, string UpdateTime);
}

internal sealed record PublishedMessage(string Topic, string MessageId, byte[] Data, IReadOnlyDictionary<string, string> Attributes)
{
    public string Text => Encoding.UTF8.GetString(Data);
}
