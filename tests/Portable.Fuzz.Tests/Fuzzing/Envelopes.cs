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

    /// <summary>Envelope damage: required members deleted or retyped are malformed; any other member changed may be accepted.</summary>
    public static Expect ForEnvelope(Mutation mutation, IReadOnlyCollection<string> required)
    {
        if (!mutation.IsJson || !IsJson(mutation.Bytes)) return Expect.Malformed;
        var path = mutation.Label.StartsWith("delete ", StringComparison.Ordinal) ? mutation.Label[7..] : mutation.Label.Split('=')[0];
        return required.Contains(path) ? Expect.Malformed : Expect.Either;
    }
}
