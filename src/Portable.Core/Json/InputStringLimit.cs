using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Portable.Json;

/// <summary>
/// The longest JSON string (a value or a member name) a function's input may hold: <c>Portable:MaxInputStringBytes</c>, in bytes of
/// UTF-8 once unescaped, 1 MiB by default, the same on every platform. A longer string is refused as invalid input (400, a
/// dead-letter, <c>Runtime.InvalidEvent</c>) before it is made: a .NET string is UTF-16, twice its UTF-8, so one huge string would
/// cost the input's bytes and twice as much again before the function runs. Only an input longer than the limit is scanned
/// (one pass of a <see cref="Utf8JsonReader"/>, no allocation), so nearly every input never pays for the check.
/// </summary>
internal static class InputStringLimit
{
    /// <summary>The setting that changes the limit.</summary>
    public const string Setting = "Portable:MaxInputStringBytes";

    /// <summary>
    /// The default: 1 MiB, four times the largest document a repository holds (256 KiB) and as much as the largest message any
    /// platform's queue or event carries (SQS 1 MiB, Event Grid 1 MB; a Storage queue message is 64 KiB), so that no string a
    /// Portable function can store or pass on is refused; and Local's default request body limit.
    /// </summary>
    public const int DefaultBytes = 1024 * 1024;

    private static readonly ConditionalWeakTable<JsonSerializerOptions, StrongBox<int>> Limits = [];

    /// <summary>
    /// Sets the limit of the app whose JSON options are <paramref name="options"/>; their input counterpart takes it when it is made
    /// (<see cref="Inherit"/>), at the first invocation, so that a start pays for no more than this.
    /// </summary>
    public static void Set(JsonSerializerOptions options, int bytes) => Limits.AddOrUpdate(options, new StrongBox<int>(bytes));

    /// <summary>Gives <paramref name="input"/>, made from an app's <paramref name="options"/>, the app's limit.</summary>
    public static void Inherit(JsonSerializerOptions options, JsonSerializerOptions input)
    {
        if (Limits.TryGetValue(options, out var limit)) Limits.AddOrUpdate(input, limit);
    }

    /// <summary>
    /// The limit of an app's (input) options; <see cref="DefaultBytes"/> for options no app builder set, such as a
    /// <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>'s own (<see cref="HttpRequestData.ReadJson{T}"/> given one).
    /// </summary>
    public static int Of(JsonSerializerOptions options) => Limits.TryGetValue(options, out var limit) ? limit.Value : DefaultBytes;

    /// <summary>Reads <see cref="Setting"/>: a whole number of bytes from 1 KiB, or the default when it is not set.</summary>
    /// <exception cref="PortableConfigurationException">The setting is not such a number.</exception>
    public static int Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return DefaultBytes;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes >= 1024
            ? bytes
            : throw new PortableConfigurationException(
                $"{Setting} is '{value}'; it is the longest string a function's input may hold, in bytes of UTF-8: a whole number from 1024 (the default is {DefaultBytes}).");
    }

    /// <summary>
    /// Refuses <paramref name="utf8"/> when one of its strings is longer than the limit of <paramref name="options"/>. JSON that
    /// is malformed before such a string passes: the deserializer says what is wrong with it, at the same place, before any string.
    /// </summary>
    /// <exception cref="InvalidInputException">A string is longer than the limit; the field is its path.</exception>
    public static void Check(ReadOnlySpan<byte> utf8, JsonSerializerOptions options, string what)
    {
        var limit = Of(options);
        if (utf8.Length <= limit) return;
        var readerOptions = ReaderOptions(options);
        var reader = new Utf8JsonReader(utf8, readerOptions);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || reader.ValueSpan.Length <= limit) continue;
                var bytes = reader.ValueIsEscaped ? UnescapedLength(reader.ValueSpan) : reader.ValueSpan.Length;
                if (bytes <= limit) continue;
                var field = PathAt(utf8, readerOptions, reader.TokenStartIndex, limit);
                var reason = string.Create(CultureInfo.InvariantCulture,
                    $"The {(reader.TokenType == JsonTokenType.PropertyName ? "member name" : "string")} is {bytes:N0} bytes; a string in a function's input is at most {limit:N0} bytes ({Setting}).");
                throw new InvalidInputException($"{what} cannot be read: {reason} (at {field})", new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [reason] });
            }
        }
        catch (JsonException)
        {
            // Malformed before any string over the limit: the deserializer explains it.
        }
    }

    private static JsonReaderOptions ReaderOptions(JsonSerializerOptions options) => new()
    {
        AllowTrailingCommas = options.AllowTrailingCommas,
        CommentHandling = options.ReadCommentHandling == JsonCommentHandling.Allow ? JsonCommentHandling.Skip : options.ReadCommentHandling,
        MaxDepth = options.MaxDepth,
    };

    /// <summary>The length in UTF-8 of an escaped JSON string once unescaped; an invalid escape counts as written (the reader refuses it later).</summary>
    internal static int UnescapedLength(ReadOnlySpan<byte> escaped)
    {
        var length = 0;
        var i = 0;
        while (i < escaped.Length)
        {
            if (escaped[i] != (byte)'\\' || i + 1 >= escaped.Length)
            {
                length++;
                i++;
            }
            else if (escaped[i + 1] != (byte)'u' || !TryHex(escaped, i + 2, out var unit))
            {
                length++;
                i += 2;
            }
            else if (char.IsHighSurrogate((char)unit) && i + 11 < escaped.Length && escaped[i + 6] == (byte)'\\' && escaped[i + 7] == (byte)'u'
                     && TryHex(escaped, i + 8, out var low) && char.IsLowSurrogate((char)low))
            {
                length += 4;
                i += 12;
            }
            else
            {
                length += unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
                i += 6;
            }
        }

        return length;
    }

    private static bool TryHex(ReadOnlySpan<byte> text, int start, out int value)
    {
        value = 0;
        return start + 4 <= text.Length && int.TryParse(text.Slice(start, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The path of the token at <paramref name="offset"/> (<c>items[0].sku</c>, <c>$</c> for the root), found by reading again up to it.</summary>
    private static string PathAt(ReadOnlySpan<byte> utf8, JsonReaderOptions options, long offset, int limit)
    {
        var reader = new Utf8JsonReader(utf8, options);
        var frames = new List<(bool IsArray, int Index, string? Name)>();
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token == JsonTokenType.PropertyName)
            {
                // A name over the limit is the one refused: it is not made into a string, even for the message.
                var name = reader.TokenStartIndex == offset || reader.ValueSpan.Length > limit ? "<name>" : reader.GetString();
                frames[^1] = (false, 0, name);
                if (reader.TokenStartIndex == offset) break;
                continue;
            }

            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                frames.RemoveAt(frames.Count - 1);
                continue;
            }

            if (frames.Count > 0 && frames[^1].IsArray) frames[^1] = (true, frames[^1].Index + 1, null);
            if (reader.TokenStartIndex == offset) break;
            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray) frames.Add((token == JsonTokenType.StartArray, -1, null));
        }

        var path = new System.Text.StringBuilder();
        foreach (var (isArray, index, name) in frames)
        {
            if (isArray) path.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            else if (name is not null) path.Append(path.Length == 0 ? "" : ".").Append(name);
        }

        return path.Length == 0 ? "$" : path.ToString();
    }
}
