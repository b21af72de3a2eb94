using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Portable.Json;

/// <summary>Reads JSON the same way on every platform, turning malformed input into <see cref="InvalidInputException"/>.</summary>
internal static class PortableJson
{
    public static T Deserialize<T>(ReadOnlyMemory<byte> utf8, JsonTypeInfo<T> typeInfo, string what)
    {
        var span = utf8.Span;
        if (span.StartsWith("\uFEFF"u8)) span = span[3..];
        if (span.IsEmpty) throw new InvalidInputException($"{what} is empty; a JSON {typeof(T).Name} was expected.");
        try
        {
            return JsonSerializer.Deserialize(span, typeInfo)
                ?? throw new InvalidInputException($"{what} is JSON null; a {typeof(T).Name} was expected.");
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "$" : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path;
            var reason = Describe(e.Message);
            throw new InvalidInputException(
                $"{what} is not a valid {typeof(T).Name}: {reason} (at {field})",
                new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [reason] });
        }
    }

    public static JsonTypeInfo<T> GetTypeInfo<T>(JsonSerializerOptions options, string usedBy)
    {
        if (options.TryGetTypeInfo(typeof(T), out var info) && info is JsonTypeInfo<T> typed) return typed;
        throw new PortableConfigurationException(
            $"No JSON metadata for {typeof(T).FullName}, which {usedBy} uses. " +
            $"Add [JsonSerializable(typeof({typeof(T).Name}))] to your JsonSerializerContext and register it with builder.AddJson(YourContext.Default).");
    }

    /// <summary>The reader's message without its position suffix (" Path: $.x | LineNumber: 0 | BytePositionInLine: 5.").</summary>
    private static string Describe(string message)
    {
        var end = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd();
    }
}
