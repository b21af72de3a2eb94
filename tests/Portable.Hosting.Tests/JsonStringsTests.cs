using System.Text;
using System.Text.Json;

namespace Portable.Hosting.Tests;

/// <summary>In-place unescaping and base64 decoding of JSON string content, checked against System.Text.Json's own reader.</summary>
public sealed class JsonStringsTests
{
    [Theory]
    [InlineData("plain text")]
    [InlineData("")]
    [InlineData("a\"b\\c/d\be\ff\ng\rh\ti")]
    [InlineData("caf\u00e9 \u20ac \U0001F600 end")]
    [InlineData("\u0000\u001f\u007f\u0085")]
    [InlineData("{\"orderId\":\"o-1\",\"lines\":[1,2]}")]
    public void UnescapeInPlace_GivesWhatTheReaderGives_ForEscapedJson(string text)
    {
        foreach (var json in new[] { JsonSerializer.Serialize(text), EscapeEverything(text) })
        {
            var content = Encoding.UTF8.GetBytes(json[1..^1]);

            var length = JsonStrings.UnescapeInPlace(content);

            Assert.Equal(Encoding.UTF8.GetBytes(text), content[..length]);
        }
    }

    [Fact]
    public void UnescapeInPlace_GivesWhatTheReaderGives_ForGeneratedStrings()
    {
        var random = new Random(20261130);
        for (var i = 0; i < 500; i++)
        {
            var text = new StringBuilder();
            for (var n = random.Next(0, 40); n > 0; n--)
            {
                text.Append(random.Next(6) switch
                {
                    0 => (char)random.Next(0, 0x20),
                    1 => '"',
                    2 => '\\',
                    3 => (char)random.Next(0x80, 0xD7FF),
                    4 => char.ConvertFromUtf32(random.Next(0x10000, 0x10FFFF)),
                    _ => (char)random.Next(0x20, 0x7F),
                });
            }

            var json = i % 2 == 0 ? JsonSerializer.Serialize(text.ToString()) : EscapeEverything(text.ToString());
            var content = Encoding.UTF8.GetBytes(json[1..^1]);
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            reader.Read();
            var expected = new byte[content.Length];
            expected = expected[..reader.CopyString(expected)];

            var length = JsonStrings.UnescapeInPlace(content);

            Assert.Equal(expected, content[..length]);
        }
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("a\\udc00b")]
    [InlineData("\\ud800\\u0041")]
    [InlineData("\\ud800x")]
    [InlineData("\\x41")]
    [InlineData("\\u12")]
    [InlineData("\\u12g4")]
    [InlineData("ends with \\")]
    public void UnescapeInPlace_RefusesLoneSurrogatesAndMalformedEscapes(string content)
        => Assert.Equal(-1, JsonStrings.UnescapeInPlace(Encoding.UTF8.GetBytes(content)));

    [Theory]
    [InlineData("")]
    [InlineData("f")]
    [InlineData("fo")]
    [InlineData("foo")]
    [InlineData("any carnal pleasure.")]
    public void DecodeBase64InPlace_DecodesPaddedBase64_AndBase64WithEscapedSlashes(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text).Concat(new byte[] { 0xFB, 0xFF, 0xBF }).ToArray();
        var base64 = Convert.ToBase64String(bytes);
        foreach (var content in new[] { base64, base64.Replace("/", "\\/", StringComparison.Ordinal) })
        {
            var buffer = Encoding.UTF8.GetBytes(content);

            var length = JsonStrings.DecodeBase64InPlace(buffer);

            Assert.Equal(bytes, buffer[..length]);
        }
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("ab!=")]
    [InlineData("a===")]
    [InlineData("\\ud800AAA")]
    public void DecodeBase64InPlace_RefusesWhatIsNotBase64(string content)
        => Assert.Equal(-1, JsonStrings.DecodeBase64InPlace(Encoding.UTF8.GetBytes(content)));

    /// <summary>A JSON string with every character escaped as <c>\uXXXX</c> (surrogate pairs as two escapes): the longest escaping.</summary>
    private static string EscapeEverything(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text) json.Append(@"\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
        return json.Append('"').ToString();
    }
}
