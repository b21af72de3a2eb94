namespace Portable.Hosting.Tests;

/// <summary>The portable document id and size rules, and their messages.</summary>
public sealed class PortRulesDocumentTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("a/b\\c#d?e%f")]
    [InlineData(".")]
    [InlineData("__x__")]
    [InlineData("\u00A0\uFEFF\uFFFD")]
    public void ValidateDocumentId_AcceptsPrintableText(string id) => PortRules.ValidateDocumentId(id);

    [Fact]
    public void ValidateDocumentId_AcceptsExactly256BytesOfUtf8_CountingSurrogatePairsAsFour()
    {
        PortRules.ValidateDocumentId(new string('a', 256));
        PortRules.ValidateDocumentId(string.Concat(Enumerable.Repeat("\U0001F600", 64)));
        PortRules.ValidateDocumentId(new string('鍵', 85) + "a");
    }

    [Fact]
    public void ValidateDocumentId_ALongId_SaysHowManyBytesAndTheLimit()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => PortRules.ValidateDocumentId(new string('x', 1100)));

        Assert.StartsWith("The document id is 1,100 bytes in UTF-8; ids are at most 256.", e.Message, StringComparison.Ordinal);
        Assert.Equal("id", e.ParamName);
    }

    [Fact]
    public void ValidateDocumentId_CountsBytesNotCharacters()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => PortRules.ValidateDocumentId(new string('é', 129)));

        Assert.StartsWith("The document id is 258 bytes in UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("n\u0085", "U+0085 at index 1")]
    [InlineData("\u0000", "U+0000 at index 0")]
    [InlineData("ab\u001F", "U+001F at index 2")]
    [InlineData("\u007F", "U+007F at index 0")]
    [InlineData("a\u009F", "U+009F at index 1")]
    public void ValidateDocumentId_AControlCharacter_IsNamedWithItsIndex(string id, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => PortRules.ValidateDocumentId(id));

        Assert.Contains("contains the control character " + expected, e.Message, StringComparison.Ordinal);
    }

    // Built from code units: xUnit cannot carry a lone surrogate in theory data.
    [Theory]
    [InlineData(0xD800, -1, "U+D800")]
    [InlineData(0xDC00, 'x', "U+DC00")]
    [InlineData(0xDE00, 0xD83D, "U+DE00")]
    public void ValidateDocumentId_ALoneSurrogate_IsNamedWithItsIndex(int unit, int next, string expected)
    {
        var id = "abc" + (char)unit + (next < 0 ? "" : ((char)next).ToString());

        var e = Assert.ThrowsAny<ArgumentException>(() => PortRules.ValidateDocumentId(id));

        Assert.Contains($"contains a lone surrogate at index 3 ({expected})", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateDocumentId_NullAndEmpty_AreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => PortRules.ValidateDocumentId(null!));
        Assert.StartsWith("The document id is empty", Assert.ThrowsAny<ArgumentException>(() => PortRules.ValidateDocumentId("")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateDocumentSize_AcceptsTheLimit_AndRefusesOneByteMore_NamingSizeAndLimit()
    {
        PortRules.ValidateDocumentSize(PortRules.MaxDocumentBytes, "orders", "o-1");

        var e = Assert.ThrowsAny<ArgumentException>(() => PortRules.ValidateDocumentSize(PortRules.MaxDocumentBytes + 1, "orders", "o-1"));

        Assert.Contains("'orders/o-1' is 262,145 bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("at most 262,144 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SerializeDocument_WritesTheSameJsonAsTheSerializer_AtAnySize()
    {
        foreach (var size in new[] { 0, 1, 4000, 70_000, PortRules.MaxDocumentBytes - 40 })
        {
            var document = new SizedDocument(new string('x', size), size);

            var json = PortRules.SerializeDocument(document, SizedJson.Default.SizedDocument, "orders", "o-1");

            Assert.Equal(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(document, SizedJson.Default.SizedDocument), json);
        }
    }

    [Fact]
    public void SerializeDocument_RefusesADocumentFarOverTheLimit_NamingASizeItIsAtLeast()
    {
        var document = new SizedDocument(new string('x', 3 * 1024 * 1024), 1);

        var size = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(document, SizedJson.Default.SizedDocument).Length;

        var e = Assert.ThrowsAny<ArgumentException>(() => PortRules.SerializeDocument(document, SizedJson.Default.SizedDocument, "orders", "o-1"));

        // Refused before the string was written (SerializeDocumentLimitTests): the size is what the string alone proves.
        Assert.Matches(@"^The document 'orders/o-1' is at least 3,1\d\d,\d\d\d bytes of JSON; documents are at most 262,144 bytes", e.Message);
        Assert.True(size >= 3 * 1024 * 1024);
    }
}

/// <summary>A document of a chosen size.</summary>
public sealed record SizedDocument(string Text, int Number);

[System.Text.Json.Serialization.JsonSerializable(typeof(SizedDocument))]
internal sealed partial class SizedJson : System.Text.Json.Serialization.JsonSerializerContext;
