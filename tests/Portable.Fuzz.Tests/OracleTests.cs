using System.Text;
using Portable.Fuzz.Tests.Fuzzing;

namespace Portable.Fuzz.Tests;

/// <summary>
/// The oracle judges by the rules the product holds now: the sample's ranges, strict input reading, the portable document-id
/// rule for the fields used as repository ids, and UTF-8 everywhere. No host is started.
/// </summary>
public sealed class OracleTests
{
    private static readonly string Id256 = new('i', 256);

    [Theory]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}""")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":10000,"unitPrice":1000000}]}""")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":1,"unitPrice":0}]}""")]
    public void OrderRequestWithinTheSampleRanges_IsValid(string json) => Assert.True(Oracle.IsValidOrderRequest(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":10001,"unitPrice":1}]}""")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":2147483647,"unitPrice":1}]}""")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":1,"unitPrice":1000000.01}]}""")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":1,"unitPrice":2147483647}]}""")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":1,"unitPrice":1},{"sku":"B","quantity":0,"unitPrice":1}]}""")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":1}]}""")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","unitPrice":1}]}""")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":"A","quantity":null,"unitPrice":1}]}""")]
    [InlineData("""{"customerId":"c-1","items":[{"sku":null,"quantity":1,"unitPrice":1}]}""")]
    [InlineData("""{"customerId":"c-1","items":[{"quantity":1,"unitPrice":1}]}""")]
    public void OrderRequestOutOfRangeOrWithARequiredMemberMissingOrNull_IsMalformed(string json)
        => Assert.False(Oracle.IsValidOrderRequest(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void OrderRequestWithMoreThanAThousandLines_IsMalformed_AndAThousandIsValid()
    {
        static byte[] Order(int lines) => Encoding.UTF8.GetBytes(
            """{"customerId":"c-1","items":[""" + string.Join(',', Enumerable.Repeat("""{"sku":"A","quantity":1,"unitPrice":1}""", lines)) + "]}");

        Assert.True(Oracle.IsValidOrderRequest(Order(1000)));
        Assert.False(Oracle.IsValidOrderRequest(Order(1001)));
    }

    [Fact]
    public void OrderRequestWithInvalidUtf8InAMemberNameTheReaderWouldSkip_IsMalformed()
    {
        byte[] body = [.. "{\"customerId\":\"c-1\",\"\u00ffx\":1,\"items\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":1}]}"u8];
        Assert.True(Oracle.IsValidOrderRequest(body));
        body[21] = 0xFF; // the first byte of "ÿ" (C3 BF) becomes FF
        Assert.False(Oracle.IsValidOrderRequest(body));
    }

    [Theory]
    [InlineData("""{"orderId":"o-1","customerId":"c-1","total":42.5}""", true)]
    [InlineData("""{"orderId":"o-1","customerId":"c-1","total":null}""", false)]
    [InlineData("""{"orderId":"o-1","customerId":"c-1"}""", false)]
    [InlineData("""{"orderId":"o-1","customerId":null,"total":1}""", false)]
    [InlineData("""{"orderId":"o-1","total":1}""", false)]
    [InlineData("""{"orderId":"a\u0000b","customerId":"c-1","total":1}""", false)]
    [InlineData("""{"orderId":"\u0080\u009f","customerId":"c-1","total":1}""", false)]
    [InlineData("""{"orderId":"","customerId":"c-1","total":1}""", false)]
    [InlineData("{}", false)]
    public void OrderConfirmed_IsJudgedByStrictReadingAndTheDocumentIdRule(string json, bool valid)
        => Assert.Equal(valid, Oracle.IsValidOrderConfirmed(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"orderId":"o-1"}""", true)]
    [InlineData("""{"orderId":"o-\ud83d\ude00"}""", true)]
    [InlineData("{}", false)]
    [InlineData("""{"orderId":null}""", false)]
    [InlineData("""{"orderId":""}""", false)]
    [InlineData("""{"orderId":"n\u0085"}""", false)]
    [InlineData("""{"orderId":"a\r\nb"}""", false)]
    [InlineData("""{"orderId":"a\ud800b"}""", false)]
    [InlineData("""{"orderId":"\udc00"}""", false)]
    public void OrderPlaced_IsJudgedByStrictReadingAndTheDocumentIdRule(string json, bool valid)
        => Assert.Equal(valid, Oracle.IsValidOrderPlaced(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void OrderPlacedId_IsAtMost256Utf8Bytes()
    {
        Assert.True(Oracle.IsValidOrderPlaced(Encoding.UTF8.GetBytes($$"""{"orderId":"{{Id256}}"}""")));
        Assert.False(Oracle.IsValidOrderPlaced(Encoding.UTF8.GetBytes($$"""{"orderId":"{{Id256}}x"}""")));
        Assert.False(Oracle.IsValidOrderPlaced(Encoding.UTF8.GetBytes($$"""{"orderId":"{{new string('é', 129)}}"}""")));
        Assert.True(Oracle.IsValidOrderPlaced(Encoding.UTF8.GetBytes($$"""{"orderId":"{{new string('é', 128)}}"}""")));
    }
}
