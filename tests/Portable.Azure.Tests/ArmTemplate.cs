using System.Text.Json;

namespace Portable.Azure.Tests;

/// <summary>A compiled ARM template, read for tests: its resources (array or, with symbolic names, object) and parameters.</summary>
internal sealed class ArmTemplate(JsonElement root)
{
    public JsonElement Root { get; } = root;

    public IReadOnlyList<JsonElement> Resources { get; } = root.GetProperty("resources") is { ValueKind: JsonValueKind.Object } byName
        ? byName.EnumerateObject().Select(p => p.Value).ToList()
        : root.GetProperty("resources").EnumerateArray().ToList();

    public IReadOnlyList<JsonElement> OfType(string type) => Resources.Where(r => r.GetProperty("type").GetString() == type).ToList();

    public JsonElement Single(string type, string nameContains)
        => Assert.Single(OfType(type), r => r.GetProperty("name").GetString()!.Contains(nameContains, StringComparison.Ordinal));

    public static string Text(JsonElement element, params string[] path)
    {
        foreach (var name in path) element = element.GetProperty(name);
        return element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
    }
}
