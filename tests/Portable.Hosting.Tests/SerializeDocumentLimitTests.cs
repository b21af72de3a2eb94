using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Portable.Hosting.Tests;

/// <summary>
/// <see cref="PortRules.SerializeDocument"/> refuses a document over the limit before writing it whole (<see cref="CappedBufferWriter"/>),
/// and gives every document the verdict a full serialization would: the same JSON within the limit, the exact size just over it.
/// </summary>
public sealed class SerializeDocumentLimitTests
{
    private const int Max = PortRules.MaxDocumentBytes;

    /// <summary>
    /// The units a string is built of near the limit: 1 to 4 bytes of UTF-8, characters the default encoder escapes into 2 or 6
    /// bytes (<c>\"</c>, <c>\n</c>, <c>\u003C</c>, <c>\u00E9</c>-like), and a lone surrogate (written as an escaped U+FFFD).
    /// </summary>
    public static TheoryData<string> Units => new()
    {
        "x", "é", "鍵", "\U0001F600", "\"", "\n", "<", "+", "\u0001", "\uD800", "ab<é鍵\U0001F600\"",
    };

    [Theory]
    [MemberData(nameof(Units))]
    public void NearTheLimit_EveryDocument_GetsTheVerdictOfAFullSerialization(string unit)
    {
        foreach (var before in new[] { 0, 1000, 100_000, 200_000 })
        {
            var prefix = new string('p', before);
            var empty = Length(new DocumentParts([prefix, ""]));
            var perUnit = Length(new DocumentParts([prefix, unit])) - empty;
            var units = (Max - empty) / perUnit;
            for (var count = units - 1; count <= units + 1; count++)
            {
                for (var pad = 0; pad <= perUnit + 1; pad++)
                {
                    var document = new DocumentParts([prefix, string.Concat(Enumerable.Repeat(unit, count)) + new string('x', pad)]);
                    var expected = JsonSerializer.SerializeToUtf8Bytes(document, LimitJson.Default.DocumentParts);

                    if (expected.Length <= Max)
                    {
                        Assert.Equal(expected, PortRules.SerializeDocument(document, LimitJson.Default.DocumentParts, "orders", "o-1"));
                    }
                    else
                    {
                        var e = Assert.ThrowsAny<ArgumentException>(() => PortRules.SerializeDocument(document, LimitJson.Default.DocumentParts, "orders", "o-1"));
                        Assert.StartsWith($"The document 'orders/o-1' is {expected.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes of JSON;", e.Message, StringComparison.Ordinal);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void OneStringFillingExactlyTheRoomLeft_IsAccepted_AndOneByteMore_IsRefusedWithItsExactSize(string unit)
    {
        // The tightest case for the early refusal: the string alone asks for three times the room left under the limit.
        var empty = Length(new DocumentParts([""]));
        var perUnit = Length(new DocumentParts([unit])) - empty;
        var text = string.Concat(Enumerable.Repeat(unit, (Max - empty) / perUnit));
        text += new string('x', Max - Length(new DocumentParts([text])));
        var exact = new DocumentParts([text]);
        var over = new DocumentParts([text + "x"]);

        Assert.Equal(Max, PortRules.SerializeDocument(exact, LimitJson.Default.DocumentParts, "orders", "o-1").Length);
        var e = Assert.ThrowsAny<ArgumentException>(() => PortRules.SerializeDocument(over, LimitJson.Default.DocumentParts, "orders", "o-1"));
        Assert.StartsWith($"The document 'orders/o-1' is {(Max + 1).ToString("N0", CultureInfo.InvariantCulture)} bytes of JSON;", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("鍵")]
    [InlineData("<")]
    public void AHugeString_IsRefusedBeforeItIsWritten_SayingHowLargeTheDocumentIsAtLeast(string unit)
    {
        var document = new DocumentParts(["head", string.Concat(Enumerable.Repeat(unit, 2_000_000))]);
        var actual = Length(document);

        var e = Assert.ThrowsAny<ArgumentException>(() => PortRules.SerializeDocument(document, LimitJson.Default.DocumentParts, "orders", "o-1"));

        Assert.IsType<PortRuleException>(e);
        Assert.Equal("value", e.ParamName);
        Assert.StartsWith("The document 'orders/o-1' is at least ", e.Message, StringComparison.Ordinal);
        Assert.Contains(" bytes of JSON; documents are at most 262,144 bytes (256 KiB) on every platform.", e.Message, StringComparison.Ordinal);
        var atLeast = long.Parse(e.Message["The document 'orders/o-1' is at least ".Length..e.Message.IndexOf(" bytes", StringComparison.Ordinal)], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.InRange(atLeast, Max + 1, actual);
        Assert.True(atLeast > 1_900_000, $"The refusal proved only {atLeast:N0} bytes of a string of 2,000,000 characters.");
    }

    [Theory]
    [InlineData('s')]
    [InlineData('é')]
    [InlineData('<')]
    [InlineData('"')]
    public void AHugeString_CostsNoBufferForItsJson_NorForItsEscapes(char unit)
    {
        // The sample's order with a 6 MB SKU: before, the writer was given 3 bytes a character (18 MB) to transcode it into, and
        // a string it escapes (any non-ASCII character, < > & ' " + ...) first 6 characters a character (72 MB) from the shared pool.
        var document = new DocumentParts(["head", new string(unit, 6_000_000)]);
        PortRules.SerializeDocument(new DocumentParts(["warm"]), LimitJson.Default.DocumentParts, "orders", "o-1");
        Assert.ThrowsAny<ArgumentException>(() => PortRules.SerializeDocument(document, LimitJson.Default.DocumentParts, "orders", "o-1"));

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.ThrowsAny<ArgumentException>(() => PortRules.SerializeDocument(document, LimitJson.Default.DocumentParts, "orders", "o-1"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 256 * 1024, $"Refusing a 6,000,000-character document allocated {allocated:N0} bytes.");
    }

    [Fact]
    public void EveryUtf16CodeUnit_IsWrittenAsTheWriterWithoutAnEncoderWritesIt()
    {
        // SerializeDocument's writer has an encoder (DocumentEncoder, JavaScriptEncoder.Default's calls); the stored JSON must not change.
        var texts = new List<string>();
        for (var unit = 0; unit <= char.MaxValue; unit++) texts.Add("a" + (char)unit + "b");
        for (var unit = 0; unit < 1024; unit++)
        {
            texts.Add("x" + (char)(0xD800 + unit) + (char)0xDC00 + "<");
            texts.Add((char)0xD83D + ((char)(0xDC00 + unit)).ToString());
        }

        var random = new Random(11);
        for (var i = 0; i < 20_000; i++)
        {
            texts.Add(string.Create(random.Next(1, 40), random, static (span, r) =>
            {
                for (var j = 0; j < span.Length; j++) span[j] = r.Next(4) == 0 ? (char)r.Next(0x80) : (char)r.Next(char.MaxValue + 1);
            }));
        }

        foreach (var batch in texts.Chunk(500))
        {
            var document = new DocumentParts(batch);

            Assert.Equal(
                Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(document, LimitJson.Default.DocumentParts)),
                Encoding.UTF8.GetString(PortRules.SerializeDocument(document, LimitJson.Default.DocumentParts, "orders", "o-1")));
        }
    }

    [Fact]
    public void ManySmallValuesOverTheLimit_AreRefused_WithTheLimitInTheMessage()
    {
        var document = new DocumentParts(Enumerable.Range(0, 200_000).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());
        Assert.True(Length(document) > Max);

        var e = Assert.ThrowsAny<ArgumentException>(() => PortRules.SerializeDocument(document, LimitJson.Default.DocumentParts, "orders", "o-1"));

        Assert.IsType<PortRuleException>(e);
        Assert.Contains("bytes of JSON; documents are at most 262,144 bytes (256 KiB)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, 256)]
    [InlineData(0, CappedBufferWriter.SmallRequestBytes)]
    [InlineData(Max, CappedBufferWriter.SmallRequestBytes)]
    [InlineData(0, (3 * Max) + CappedBufferWriter.SmallRequestBytes)]
    [InlineData(Max - 10, 30 + CappedBufferWriter.SmallRequestBytes)]
    public void Writer_GivesWhatIsAsked_WhileTheRequestDoesNotProveTheOutputTooLong(int written, int sizeHint)
    {
        using var writer = new CappedBufferWriter(Max, atLeast => throw new InvalidOperationException($"refused at {atLeast}"));
        if (written > 0)
        {
            writer.GetSpan(written);
            writer.Advance(written);
        }

        Assert.True(writer.GetSpan(sizeHint).Length >= sizeHint);
        Assert.True(writer.GetMemory(sizeHint).Length >= sizeHint);
    }

    [Theory]
    [InlineData(0, (3 * Max) + CappedBufferWriter.SmallRequestBytes + 3, Max + 1)]
    [InlineData(Max - 10, 33 + CappedBufferWriter.SmallRequestBytes, Max + 1)]
    [InlineData(Max + 1, 0, Max + 1)]
    [InlineData(Max + 1, 1, Max + 1)]
    public void Writer_Refuses_WhenWrittenBytesOrTheRequestProveTheOutputTooLong(int written, int sizeHint, long provenAtLeast)
    {
        using var writer = new CappedBufferWriter(Max, atLeast => throw new InvalidOperationException($"refused at {atLeast}"));
        writer.GetSpan(Math.Min(written, Max));
        writer.Advance(Math.Min(written, Max));
        if (written > Max)
        {
            writer.GetSpan(written - Max + CappedBufferWriter.SmallRequestBytes); // allowed: what is written so far is not over yet
            writer.Advance(written - Max);
        }

        Assert.Equal($"refused at {provenAtLeast}", Assert.Throws<InvalidOperationException>(() => writer.GetSpan(sizeHint)).Message);
        Assert.Equal($"refused at {provenAtLeast}", Assert.Throws<InvalidOperationException>(() => writer.GetMemory(sizeHint)).Message);
        Assert.Equal(written, writer.WrittenCount);
    }

    private static int Length(DocumentParts document) => JsonSerializer.SerializeToUtf8Bytes(document, LimitJson.Default.DocumentParts).Length;
}

/// <summary>A document of strings, for documents built to a size.</summary>
public sealed record DocumentParts(IReadOnlyList<string> Parts);

[System.Text.Json.Serialization.JsonSerializable(typeof(DocumentParts))]
internal sealed partial class LimitJson : System.Text.Json.Serialization.JsonSerializerContext;
