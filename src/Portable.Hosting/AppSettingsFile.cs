using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Portable.Hosting;

/// <summary>
/// An <c>appsettings*.json</c> file as configuration, read once when the configuration is built and never watched. It flattens
/// the file the way <c>Microsoft.Extensions.Configuration.Json</c> does (nested keys joined with <c>:</c>, array items by index,
/// an empty array as an empty value, an empty object and null as null values, comments and trailing commas allowed, a key given twice refused), but with
/// System.Text.Json's reader alone: no file provider, globbing or JSON configuration assemblies to load at every cold start.
/// </summary>
internal sealed class AppSettingsFile(string path) : IConfigurationSource
{
    /// <summary>The file's full path.</summary>
    public string Path { get; } = path;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(Path);

    /// <summary>Flattens UTF-8 JSON into configuration keys and values.</summary>
    /// <param name="json">The file's bytes (a UTF-8 byte order mark is allowed).</param>
    /// <param name="file">The file's name, for messages.</param>
    /// <returns>The keys (case-insensitive) and values.</returns>
    /// <exception cref="PortableConfigurationException">The file is not a JSON object, is not valid JSON, or repeats a key.</exception>
    public static Dictionary<string, string?> Parse(ReadOnlySpan<byte> json, string file)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (json.StartsWith("\uFEFF"u8)) json = json[3..];
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read()) throw new PortableConfigurationException($"{file} is empty: it must hold a JSON object, such as {{ }}.");
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new PortableConfigurationException($"{file} must hold a JSON object at the top level, not {Describe(reader.TokenType)}.");
            }

            var path = new List<string>();
            ReadObject(ref reader, path, data, file);
            reader.Read(); // only whitespace and comments may follow the object: anything else throws

        }
        catch (JsonException e)
        {
            throw new PortableConfigurationException($"{file} is not valid JSON: {e.Message}", e);
        }

        return data;
    }

    private static void ReadObject(ref Utf8JsonReader reader, List<string> path, Dictionary<string, string?> data, string file)
    {
        var empty = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            empty = false;
            path.Add(reader.GetString()!);
            reader.Read();
            ReadValue(ref reader, path, data, file);
            path.RemoveAt(path.Count - 1);
        }

        if (empty && path.Count > 0) data[Key(path)] = null;
    }

    private static void ReadArray(ref Utf8JsonReader reader, List<string> path, Dictionary<string, string?> data, string file)
    {
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            path.Add(index.ToString(CultureInfo.InvariantCulture));
            ReadValue(ref reader, path, data, file);
            path.RemoveAt(path.Count - 1);
            index++;
        }

        if (index == 0 && path.Count > 0) data[Key(path)] = "";
    }

    private static void ReadValue(ref Utf8JsonReader reader, List<string> path, Dictionary<string, string?> data, string file)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                ReadObject(ref reader, path, data, file);
                return;
            case JsonTokenType.StartArray:
                ReadArray(ref reader, path, data, file);
                return;
        }

        var key = Key(path);
        if (data.ContainsKey(key)) throw new PortableConfigurationException($"{file} gives the key '{key}' twice (keys are not case-sensitive).");
        data[key] = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.True => bool.TrueString,
            JsonTokenType.False => bool.FalseString,
            JsonTokenType.Null => null,
            _ => System.Text.Encoding.UTF8.GetString(reader.ValueSpan), // a number, as written (a reader over one span has no value sequences)
        };
    }

    private static string Key(List<string> path) => string.Join(ConfigurationPath.KeyDelimiter, path);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private sealed class Provider(string path) : ConfigurationProvider
    {
        public override void Load()
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase); // optional: no file, no settings
                return;
            }

            Data = Parse(bytes, System.IO.Path.GetFileName(path));
        }
    }
}
