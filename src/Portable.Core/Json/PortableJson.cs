using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Portable.Json;

/// <summary>
/// Reads JSON the same way on every platform, turning malformed input into <see cref="InvalidInputException"/>.
/// Input (a request body, a message, a notification or event payload) is read with <see cref="ForInput(JsonSerializerOptions)"/>:
/// the app's options with nullable annotations respected and non-nullable constructor parameters required, so that <c>{}</c>
/// read as <c>record OrderPlaced(string OrderId)</c> is the caller's error naming <c>orderId</c>, not a null inside the function.
/// Writing (responses, messages sent, documents stored) and reading stored documents keep the app's options as they are.
/// </summary>
internal static class PortableJson
{
    private const string Required = "The field is required.";
    private const string NotNull = "The field cannot be null.";

    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> InputOptions = [];

    public static T Deserialize<T>(ReadOnlyMemory<byte> utf8, JsonTypeInfo<T> typeInfo, string what)
    {
        if (utf8.Span.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        if (utf8.IsEmpty) throw new InvalidInputException($"{what} is empty; a JSON {typeof(T).Name} was expected.");
        if (!Utf8.IsValid(utf8.Span))
        {
            // The reader only transcodes a string when it is read, and then throws InvalidOperationException: refuse the bytes first.
            throw new InvalidInputException("$", string.Create(CultureInfo.InvariantCulture, $"{what} is not valid UTF-8 (at byte {FirstInvalidByte(utf8.Span)}); JSON text is UTF-8."));
        }

        InputStringLimit.Check(utf8.Span, typeInfo.Options, what); // before any string is made
        try
        {
            return JsonSerializer.Deserialize(utf8.Span, typeInfo)
                ?? throw new InvalidInputException($"{what} is JSON null; a {typeof(T).Name} was expected.");
        }
        catch (JsonException e)
        {
            throw Invalid(e, typeInfo, what, () => utf8.Length <= MaxExplainedBytes ? JsonDocument.Parse(utf8, DocumentOptions(typeInfo.Options)) : null);
        }
    }

    /// <summary>The error for <paramref name="e"/>, thrown while reading <paramref name="element"/> (such as a CloudEvent's data), worded as for the bytes overload.</summary>
    public static InvalidInputException Invalid<T>(JsonException e, JsonTypeInfo<T> typeInfo, string what, JsonElement element)
        => Invalid(e, typeInfo, what, () => JsonMarshal.GetRawUtf8Value(element).Length <= MaxExplainedBytes ? JsonDocument.Parse(element.GetRawText(), DocumentOptions(typeInfo.Options)) : null);

    /// <summary>
    /// The largest input whose refusal is explained field by field (<see cref="Explain"/> parses it as a document, which rents
    /// metadata as large as the input from the shared array pool, where it stays): 256 KiB. A larger input, nearly always a
    /// malformed or hostile one, is refused with the reader's own reason and path.
    /// </summary>
    private const int MaxExplainedBytes = 256 * 1024;

    public static JsonTypeInfo<T> GetTypeInfo<T>(JsonSerializerOptions options, string usedBy)
    {
        if (options.TryGetTypeInfo(typeof(T), out var info) && info is JsonTypeInfo<T> typed) return typed;
        throw new PortableConfigurationException(
            $"No JSON metadata for {typeof(T).FullName}, which {usedBy} uses. " +
            $"Add [JsonSerializable(typeof({typeof(T).Name}))] to your JsonSerializerContext and register it with builder.AddJson(YourContext.Default).");
    }

    /// <summary>
    /// The options input is read with: a copy of <paramref name="options"/> (made once per options instance and kept) with
    /// <see cref="JsonSerializerOptions.RespectNullableAnnotations"/> on, and every constructor parameter that is neither nullable
    /// nor optional required. A nullable parameter (<c>string? CustomerId</c>) may still be left out. A member named twice in one
    /// object (<c>{"orderId":"a","orderId":"b"}</c>) is refused (<see cref="JsonSerializerOptions.AllowDuplicateProperties"/> off):
    /// which of the two a reader keeps differs between parsers (a gateway may check the first and the function act on the last),
    /// and the copies it throws away cost memory the input's size does not show. The user's resolvers are kept,
    /// so a source-generated context needs no change; nothing here uses reflection.
    /// </summary>
    public static JsonSerializerOptions ForInput(JsonSerializerOptions options)
        => InputOptions.GetValue(options, static o =>
        {
            var input = new JsonSerializerOptions(o) { RespectNullableAnnotations = true, AllowDuplicateProperties = false };
            if (o.TypeInfoResolver is { } resolver) input.TypeInfoResolver = resolver.WithAddedModifier(RequireNonNullableParameters);
            input.MakeReadOnly();
            InputStringLimit.Inherit(o, input);
            return input;
        });

    /// <summary>The input counterpart of <paramref name="typeInfo"/> (see <see cref="ForInput(JsonSerializerOptions)"/>), or <paramref name="typeInfo"/> itself when its options cannot resolve one.</summary>
    public static JsonTypeInfo<T> ForInput<T>(JsonTypeInfo<T> typeInfo)
    {
        if (typeInfo.Options.TypeInfoResolver is null) return typeInfo;
        var input = ForInput(typeInfo.Options);
        return input.TryGetTypeInfo(typeof(T), out var info) && info is JsonTypeInfo<T> typed ? typed : typeInfo;
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> utf8)
    {
        var index = 0;
        while (index < utf8.Length && Rune.DecodeFromUtf8(utf8[index..], out _, out var consumed) == OperationStatus.Done) index += consumed;
        return index;
    }

    private static void RequireNonNullableParameters(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        foreach (var property in info.Properties)
        {
            if (property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false }) property.IsRequired = true;
        }
    }

    private static JsonDocumentOptions DocumentOptions(JsonSerializerOptions options) => new()
    {
        AllowTrailingCommas = options.AllowTrailingCommas,
        CommentHandling = options.ReadCommentHandling == JsonCommentHandling.Allow ? JsonCommentHandling.Skip : options.ReadCommentHandling,
        MaxDepth = options.MaxDepth,
    };

    private static InvalidInputException Invalid<T>(JsonException e, JsonTypeInfo<T> typeInfo, string what, Func<JsonDocument?> parse)
    {
        var errors = Explain(e, typeInfo, parse);
        var (field, reasons) = errors.First();
        var at = field.Length == 0 ? "$" : field;
        var summary = errors.Count == 1
            ? $"{what} is not a valid {typeof(T).Name}: {reasons[0]} (at {at})"
            : $"{what} is not a valid {typeof(T).Name}: {string.Join(", ", errors.Keys)} are required.";
        return new InvalidInputException(summary, errors);
    }

    /// <summary>
    /// The fields at fault. The reader's message is English prose meant for developers ("Consider updating its nullability
    /// annotation"), so a missing required member or a null where none is allowed is found by walking the document and the type
    /// metadata along the error's path instead; anything else keeps the reader's message.
    /// </summary>
    private static Dictionary<string, string[]> Explain(JsonException e, JsonTypeInfo typeInfo, Func<JsonDocument?> parse)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        var field = path == "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        try
        {
            using var document = parse();
            if (document is not null && Walk(document.RootElement, typeInfo, path) is var (element, info))
            {
                if (element.ValueKind == JsonValueKind.Null)
                {
                    errors[field.Length == 0 ? "$" : field] = [NotNull];
                    return errors;
                }

                if (element.ValueKind == JsonValueKind.Object && info is { Kind: JsonTypeInfoKind.Object })
                {
                    foreach (var property in info.Properties)
                    {
                        if (property.IsRequired && !Has(element, property.Name, info.Options.PropertyNameCaseInsensitive))
                        {
                            errors[field.Length == 0 ? property.Name : $"{field}.{property.Name}"] = [Required];
                        }
                    }

                    if (errors.Count > 0) return errors;
                }
            }
        }
        catch (JsonException)
        {
            // the document itself is malformed: the reader's message says where
        }

        errors[field.Length == 0 ? "$" : field] = [Describe(e.Message)];
        return errors;
    }

    /// <summary>Follows a reader path (<c>$.items[0].sku</c>, <c>$['a.b']</c>) through the document and the metadata together.</summary>
    private static (JsonElement Element, JsonTypeInfo? Info)? Walk(JsonElement element, JsonTypeInfo? info, string path)
    {
        var i = 1; // after '$'
        while (i < path.Length)
        {
            string? name = null;
            int? index = null;
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                name = path[(i + 1)..end];
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) return null;
                name = path[(i + 2)..end];
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), System.Globalization.CultureInfo.InvariantCulture, out var n)) return null;
                index = n;
                i = end + 1;
            }
            else
            {
                return null;
            }

            if (name is not null)
            {
                if (element.ValueKind != JsonValueKind.Object || !TryGet(element, name, info?.Options.PropertyNameCaseInsensitive == true, out element)) return null;
                info = info?.Kind switch
                {
                    JsonTypeInfoKind.Object => info.Properties.FirstOrDefault(p => Same(p.Name, name, info.Options.PropertyNameCaseInsensitive)) is { } p
                        ? Resolve(info.Options, p.PropertyType) : null,
                    JsonTypeInfoKind.Dictionary when info.ElementType is { } value => Resolve(info.Options, value),
                    _ => null,
                };
            }
            else
            {
                if (element.ValueKind != JsonValueKind.Array || index >= element.GetArrayLength()) return null;
                element = element[index!.Value];
                info = info is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } item } ? Resolve(info.Options, item) : null;
            }
        }

        return (element, info);
    }

    private static JsonTypeInfo? Resolve(JsonSerializerOptions options, Type type)
        => options.TryGetTypeInfo(type, out var info) ? info : null;

    private static bool TryGet(JsonElement element, string name, bool ignoreCase, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value)) return true;
        if (ignoreCase)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (Same(property.Name, name, true))
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Has(JsonElement element, string name, bool ignoreCase) => TryGet(element, name, ignoreCase, out _);

    private static bool Same(string a, string b, bool ignoreCase) => string.Equals(a, b, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>The reader's message without its position suffix (" Path: $.x | LineNumber: 0 | BytePositionInLine: 5.").</summary>
    private static string Describe(string message)
    {
        var end = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd();
    }
}
