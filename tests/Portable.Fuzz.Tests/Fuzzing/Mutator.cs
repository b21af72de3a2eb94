using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>One mutation of a seed: what was done, and the bytes.</summary>
internal sealed record Mutation(string Label, byte[] Bytes, bool IsJson);

/// <summary>
/// Generates malformed variants of a valid seed with a fixed seed (<see cref="System.Random"/>): byte-level damage (truncation,
/// flipped and inserted bytes incl. 0xFF and invalid UTF-8, empty bodies) and JSON-level damage on every member (deleted,
/// another JSON type, huge strings, Unicode edge cases incl. lone surrogates and U+0085, numbers that overflow, deep nesting).
/// The full list is built in a fixed order and a seeded shuffle picks how many are sent, so a run is reproducible.
/// </summary>
internal sealed class Mutator(int seed)
{
    /// <summary>The seed every run uses: the printed counts and offenders are the same on every machine.</summary>
    public const int FixedSeed = 20261130;

    private readonly Random _random = new(seed);

    public Random Random => _random;

    public static readonly (string Name, string Json)[] Types =
    [
        ("number", "123"), ("negative", "-1"), ("fraction", "1.5"), ("string", "\"x\""), ("true", "true"), ("null", "null"), ("array", "[]"), ("object", "{}"),
    ];

    public static readonly (string Name, string Value)[] Strings =
    [
        ("empty", ""), ("blank", "   "), ("huge-1100", new string('x', 1100)), ("huge-100k", new string('y', 100_000)), ("lone-high-surrogate", "a\ud800b"),
        ("lone-low-surrogate", "\udc00"), ("U+0085", "n\u0085"), ("U+0080-9F", "\u0080\u009f"), ("NUL", "a\u0000b"), ("U+FFFF", "\uffff"), ("emoji", "o-\U0001F600"),
        ("rtl", "\u202eabc"), ("slash", "a/b"), ("dots", ".."), ("percent", "%2F%00"), ("newline", "a\r\nb"), ("quote", "\"'<>"),
    ];

    public static readonly (string Name, string Json)[] Numbers =
    [
        ("int-max", "2147483647"), ("int-max+1", "2147483648"), ("long-overflow", "9223372036854775808"), ("decimal-max", "79228162514264337593543950335"),
        ("decimal-overflow", "79228162514264337593543950336"), ("1e400", "1e400"), ("-0", "-0"), ("tiny", "1e-400"), ("string-number", "\"2\""),
    ];

    /// <summary>Byte-level mutations of <paramref name="seedBytes"/>, <paramref name="count"/> of them, picked with the seeded random.</summary>
    public IEnumerable<Mutation> Bytes(byte[] seedBytes, int count)
    {
        ArgumentNullException.ThrowIfNull(seedBytes);
        var all = new List<Mutation>
        {
            new("empty", [], false),
            new("whitespace", " \r\n\t"u8.ToArray(), false),
            new("bom-only", [0xEF, 0xBB, 0xBF], false),
            new("ff-bytes", [0xFF, 0xFE, 0xFD], false),
            new("two-documents", [.. seedBytes, .. seedBytes], false),
            new("not-json", "not json at all"u8.ToArray(), false),
            new("json-null", "null"u8.ToArray(), true),
            new("json-array", "[]"u8.ToArray(), true),
            new("json-string", "\"x\""u8.ToArray(), true),
            new("json-number", "42"u8.ToArray(), true),
            new("deep-array-10000", Encoding.ASCII.GetBytes(new string('[', 10_000) + new string(']', 10_000)), false),
            new("deep-object-2000", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000)), false),
        };
        for (var i = 0; i < count * 2; i++)
        {
            var at = _random.Next(1, Math.Max(2, seedBytes.Length));
            switch (i % 6)
            {
                case 0:
                    all.Add(new($"truncate@{at}", seedBytes[..Math.Min(at, seedBytes.Length)], false));
                    break;
                case 1:
                    var flipped = (byte[])seedBytes.Clone();
                    var value = (byte)_random.Next(256);
                    flipped[at % seedBytes.Length] = value;
                    all.Add(new($"byte@{at % seedBytes.Length}=0x{value:X2}", flipped, false));
                    break;
                case 2:
                    all.Add(new($"insert-0xFF@{at}", Insert(seedBytes, at, [0xFF]), false));
                    break;
                case 3:
                    all.Add(new($"insert-invalid-utf8@{at}", Insert(seedBytes, at, [0xC3, 0x28]), false));
                    break;
                case 4:
                    all.Add(new($"insert-utf8-surrogate@{at}", Insert(seedBytes, at, [0xED, 0xA0, 0x80]), false));
                    break;
                default:
                    all.Add(new($"insert-nul@{at}", Insert(seedBytes, at, [0x00]), false));
                    break;
            }
        }

        return Pick(all, count);
    }

    /// <summary>JSON-level mutations of every member of <paramref name="seedJson"/>, <paramref name="count"/> of them.</summary>
    public IEnumerable<Mutation> Json(string seedJson, int count)
    {
        var root = JsonNode.Parse(seedJson)!;
        var paths = Paths(root, []).ToList();
        var all = new List<Mutation>();
        foreach (var path in paths)
        {
            var name = "/" + string.Join('/', path);
            var current = Navigate(root, path);
            all.Add(Apply(seedJson, path, null, $"delete {name}"));
            foreach (var (type, json) in Types)
            {
                if (current?.ToJsonString() == json) continue;
                all.Add(Apply(seedJson, path, JsonNode.Parse(json), $"{name}={type}"));
            }

            if (current is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                foreach (var (label, text) in Strings) all.Add(Apply(seedJson, path, JsonValue.Create(text), $"{name}={label}"));
            }

            if (current is JsonValue n && n.GetValueKind() == JsonValueKind.Number)
            {
                foreach (var (label, json) in Numbers) all.Add(ApplyRaw(seedJson, path, json, $"{name}={label}"));
            }

            if (current is JsonObject or JsonArray)
            {
                all.Add(ApplyRaw(seedJson, path, new string('[', 5000) + new string(']', 5000), $"{name}=deep-5000"));
            }
        }

        all.Add(ApplyRaw(seedJson, [], "{}", "root={}"));
        return Pick(all, count);
    }

    /// <summary>Every member and item, depth first, as paths of names and indexes.</summary>
    public static IEnumerable<string[]> Paths(JsonNode? node, string[] prefix)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    string[] path = [.. prefix, key];
                    yield return path;
                    foreach (var inner in Paths(child, path)) yield return inner;
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    string[] path = [.. prefix, i.ToString(CultureInfo.InvariantCulture)];
                    yield return path;
                    foreach (var inner in Paths(array[i], path)) yield return inner;
                }

                break;
        }
    }

    /// <summary>The seed with the member at <paramref name="path"/> replaced (or deleted, when <paramref name="value"/> is null).</summary>
    public static Mutation Apply(string seedJson, string[] path, JsonNode? value, string label)
    {
        var root = JsonNode.Parse(seedJson)!;
        if (path.Length == 0) return new(label, Encoding.UTF8.GetBytes(value?.ToJsonString() ?? ""), value is not null);
        var parent = Navigate(root, path[..^1]);
        var key = path[^1];
        if (parent is JsonObject obj)
        {
            if (value is null) obj.Remove(key);
            else obj[key] = value;
        }
        else if (parent is JsonArray array)
        {
            var index = int.Parse(key, CultureInfo.InvariantCulture);
            if (value is null) array.RemoveAt(index);
            else array[index] = value;
        }

        return new(label, Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })), true);
    }

    /// <summary>Like <see cref="Apply"/> with raw JSON text that <see cref="JsonNode"/> may not hold (overflowing numbers, deep nesting).</summary>
    public static Mutation ApplyRaw(string seedJson, string[] path, string rawJson, string label)
    {
        const string Marker = "\"__fuzz_marker__\"";
        var marked = Apply(seedJson, path, JsonValue.Create("__fuzz_marker__"), label);
        var text = path.Length == 0 ? rawJson : Encoding.UTF8.GetString(marked.Bytes).Replace(Marker, rawJson, StringComparison.Ordinal);
        return new(label, Encoding.UTF8.GetBytes(text), true);
    }

    public static JsonNode? Navigate(JsonNode? node, string[] path)
    {
        foreach (var segment in path)
        {
            node = node switch
            {
                JsonObject obj => obj[segment],
                JsonArray array => array[int.Parse(segment, CultureInfo.InvariantCulture)],
                _ => null,
            };
        }

        return node;
    }

    private IEnumerable<Mutation> Pick(List<Mutation> all, int count)
    {
        var shuffled = all.ToArray();
        _random.Shuffle(shuffled);
        return shuffled.Take(count);
    }

    private static byte[] Insert(byte[] bytes, int at, byte[] inserted) => [.. bytes[..Math.Min(at, bytes.Length)], .. inserted, .. bytes[Math.Min(at, bytes.Length)..]];
}
