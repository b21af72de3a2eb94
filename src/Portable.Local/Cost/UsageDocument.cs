namespace Portable.Local.Cost;

/// <summary><c>.portable/usage.json</c>: what the local host measured, kept across runs so that <c>--cost</c> can price it later.</summary>
internal sealed class UsageDocument
{
    /// <summary>The file's name in the data folder.</summary>
    public const string FileName = "usage.json";

    /// <summary>The format's version: 1.</summary>
    public int Version { get; set; } = 1;

    /// <summary>When it was last written.</summary>
    public DateTimeOffset Updated { get; set; }

    /// <summary>
    /// The largest peak working set of the host process seen in any run (<see cref="System.Diagnostics.Process.PeakWorkingSet64"/>:
    /// on Linux the resident set's high-water mark, VmHWM), in bytes: the memory the whole host needed, all functions together.
    /// </summary>
    public long PeakWorkingSetBytes { get; set; }

    /// <summary>By function name.</summary>
    public Dictionary<string, FunctionUsage> Functions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether anything was measured.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Functions.Values.All(f => f.Invocations == 0);

    /// <summary>Reads the file in <paramref name="dataDirectory"/>; an empty document when there is none.</summary>
    /// <exception cref="PortableConfigurationException">The file is not a usage document; the message says to delete it.</exception>
    public static UsageDocument Load(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        if (!File.Exists(path)) return new UsageDocument();
        try
        {
            using var stream = File.OpenRead(path);
            var document = System.Text.Json.JsonSerializer.Deserialize(stream, CostJsonContext.Default.UsageDocument) ?? new UsageDocument();
            document.Functions = new Dictionary<string, FunctionUsage>(document.Functions, StringComparer.Ordinal);
            return document;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new PortableConfigurationException($"{path} is not a usage file ({e.Path}: {e.Message}). Delete it; the next run measures afresh.", e);
        }
    }

    /// <summary>Writes the file, whole, through a temporary file, so a reader never sees half of it.</summary>
    public void Save(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            System.Text.Json.JsonSerializer.Serialize(stream, this, CostJsonContext.Default.UsageDocument);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The file's full path.</summary>
    public static string PathIn(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), FileName);
}
