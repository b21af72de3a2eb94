using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>Reads and edits the platforms' envelopes (copied vectors) to carry the sample's payloads.</summary>
internal static class Envelopes
{
    public static string Read(string relative)
        => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", relative)).TrimStart('\uFEFF');

    /// <summary>The vector with members set (a path of names and indexes, "/"-separated, to a JSON value); returns compact JSON.</summary>
    public static string With(string json, params (string Path, JsonNode? Value)[] edits)
    {
        var root = JsonNode.Parse(json)!;
        foreach (var (path, value) in edits)
        {
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var parent = Mutator.Navigate(root, segments[..^1]);
            if (parent is JsonObject obj)
            {
                if (value is null) obj.Remove(segments[^1]);
                else obj[segments[^1]] = value;
            }
            else if (parent is JsonArray array)
            {
                array[int.Parse(segments[^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
            }
        }

        return root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Whether the bytes are one well-formed JSON document (a BOM allowed).</summary>
    public static bool IsJson(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Byte damage: malformed when the result is no longer UTF-8 JSON (RFC 8259 §8.1); otherwise it may be accepted.</summary>
    public static Expect ForBytes(byte[] bytes) => IsJson(bytes) && System.Text.Unicode.Utf8.IsValid(bytes) ? Expect.Either : Expect.Malformed;

    /// <summary>
    /// Envelope damage: not UTF-8 JSON any more, or a required member deleted, emptied or of another JSON type, is malformed; any
    /// other change (another string in a required member, any change to an optional one) may be accepted.
    /// </summary>
    public static Expect ForEnvelope(Mutation mutation, string seedJson, IReadOnlyCollection<string> required)
    {
        if (ForBytes(mutation.Bytes) == Expect.Malformed) return Expect.Malformed;
        if (mutation.Label.StartsWith("delete ", StringComparison.Ordinal)) return required.Contains(mutation.Label[7..]) ? Expect.Malformed : Expect.Either;
        var eq = mutation.Label.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0) return Expect.Either;
        var path = mutation.Label[..eq];
        var change = mutation.Label[(eq + 1)..];
        if (!required.Contains(path)) return Expect.Either;
        var original = Mutator.Navigate(JsonNode.Parse(seedJson), path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var wasString = original is JsonValue v && v.GetValueKind() == JsonValueKind.String;
        var retyped = Mutator.Types.Any(t => t.Name == change) && !(change == "string" && wasString);
        return retyped || change == "empty" ? Expect.Malformed : Expect.Either;
    }
}
