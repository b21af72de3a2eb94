using System.Text;
using Microsoft.Extensions.Configuration;
using Portable.Hosting;

namespace Portable.Hosting.Tests;

/// <summary>Portable's appsettings reader gives the same keys and values as Microsoft.Extensions.Configuration.Json, and refuses what it refuses.</summary>
public sealed class AppSettingsFileTests
{
    public static TheoryData<string> Valid() => new()
    {
        """{}""",
        """{ "Orders": { "MaxItems": 10 } }""",
        """{ "a": "text", "b": true, "c": false, "d": null, "e": 1.50, "f": -0, "g": 1e3, "h": 12345678901234567890 }""",
        """{ "list": [1, "two", { "x": 3 }, [4, 5], null, true], "empty": [], "none": {} }""",
        """{ "nested": { "deeper": { "deepest": { "value": "v" } }, "emptyInner": {} } }""",
        """{ "escaped\u0041": "tab\there", "unicode": "caf\u00e9 \ud83d\ude00", "quote": "\"q\"" }""",
        """
        // a comment
        {
          "Logging": { "LogLevel": { "Default": "Warning", /* inline */ "Portable": "Information", }, },
          "trailing": [1, 2, ],
        }
        """,
        "\uFEFF{ \"bom\": \"yes\" }",
        """{ "Key": { "a": 1 }, "key2": { "A": 2 } }""",
        """{ "colon:in:key": "v", "": "empty name" }""",
    };

    public static TheoryData<string> Invalid() => new()
    {
        "",
        "   ",
        "[1, 2]",
        "\"text\"",
        "42",
        "{ \"a\": 1 ",
        "{ \"a\": 1 } x",
        "{ \"a\": 1, \"A\": 2 }",
        "{ \"a\": { \"b\": 1 }, \"a\": { \"b\": 2 } }",
        "{ 'single': 1 }",
        "{ \"a\": [1, 2], \"a:0\": 3 }",
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void ValidFile_GivesTheSameKeysAndValuesAsTheJsonConfigurationProvider(string json)
    {
        var expected = Reference(json);

        var actual = AppSettingsFile.Parse(Encoding.UTF8.GetBytes(json), "appsettings.json");

        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase), actual.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidFile_IsRefusedAsTheJsonConfigurationProviderRefusesIt_NamingTheFile(string json)
    {
        Assert.ThrowsAny<Exception>(() => Reference(json));

        var error = Assert.Throws<PortableConfigurationException>(() => AppSettingsFile.Parse(Encoding.UTF8.GetBytes(json), "appsettings.Production.json"));

        Assert.StartsWith("appsettings.Production.json ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GeneratedFiles_GiveTheSameKeysAndValues()
    {
        var random = new Random(12);
        for (var i = 0; i < 300; i++)
        {
            var json = "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 6)).Select(n => $"\"k{n}\":{Value(random, 0)}")) + "}";
            Assert.Equal(Reference(json).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase),
                AppSettingsFile.Parse(Encoding.UTF8.GetBytes(json), "appsettings.json").OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void MissingFile_IsNoSettings_AndTheFileIsReadOnlyOnce()
    {
        var folder = Directory.CreateTempSubdirectory("portable-appsettings-");
        try
        {
            var path = Path.Combine(folder.FullName, "appsettings.json");
            var missing = new ConfigurationBuilder().Add(new AppSettingsFile(path)).Build();
            Assert.Empty(missing.AsEnumerable());

            File.WriteAllText(path, """{ "A": { "B": "first" } }""");
            var configuration = new ConfigurationBuilder().Add(new AppSettingsFile(path)).Build();
            File.WriteAllText(path, """{ "A": { "B": "second" } }""");

            Assert.Equal("first", configuration["a:b"]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Value(Random random, int depth) => random.Next(depth > 2 ? 4 : 7) switch
    {
        0 => random.Next(-1000, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => "\"s" + random.Next(100) + "\\u00e9\"",
        2 => random.Next(2) == 0 ? "true" : "false",
        3 => "null",
        4 => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => Value(random, depth + 1))) + "]",
        _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(n => $"\"p{n}\":{Value(random, depth + 1)}")) + "}",
    };

    private static Dictionary<string, string?> Reference(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();
        return configuration.AsEnumerable().Where(p => p.Value is not null || HasNoChildren(configuration, p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
    }

    private static bool HasNoChildren(IConfiguration configuration, string key) => !configuration.GetSection(key).GetChildren().Any();
}
