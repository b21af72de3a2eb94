using System.Text;

namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>The sample's own request and message shapes, valid.</summary>
internal static class Seeds
{
    public const string OrderRequest = """{"customerId":"c-1","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}""";

    public static readonly byte[] OrderRequestBytes = Encoding.UTF8.GetBytes(OrderRequest);

    /// <summary>Valid JSON, every field in range, but quantity × unit price overflows a decimal: the sample should answer 400 naming the field.</summary>
    public const string OverflowingOrder = """{"customerId":"c-1","items":[{"sku":"A","quantity":2147483647,"unitPrice":79228162514264337593543950335}]}""";

    /// <summary>Two lines that each fit, whose sum overflows.</summary>
    public const string OverflowingSum = """{"customerId":"c-1","items":[{"sku":"A","quantity":1,"unitPrice":79228162514264337593543950335},{"sku":"B","quantity":1,"unitPrice":79228162514264337593543950335}]}""";

    /// <summary>A file for ImportOrders: the header and two orders of customer c-1.</summary>
    public const string OrdersCsv = "customerId,sku,quantity,unitPrice\nc-1,A,1,10.50\nc-1,B,2,3\n";

    public static string OrderPlaced(string orderId) => $$"""{"orderId":"{{orderId}}"}""";

    public static string OrderConfirmed(string orderId) => $$"""{"orderId":"{{orderId}}","customerId":"c-1","total":42.5}""";

    /// <summary>Path segments for <c>GET /orders/{id}</c>, percent-encoded as a client would send them (some decode to invalid UTF-8).</summary>
    public static readonly (string Label, string Segment)[] Ids =
    [
        ("huge-1100", new string('x', 1100)), ("huge-5000", new string('x', 5000)), ("U+0085", "n%C2%85"), ("U+0080", "%C2%80"),
        ("utf8-lone-surrogate", "%ED%A0%80"), ("ff-byte", "%FF"), ("overlong-slash", "%C0%AF"), ("nul", "a%00b"), ("encoded-slash", "a%2Fb"),
        ("dot-dot", ".."), ("encoded-dot-dot", "%2E%2E"), ("space", "a%20b"), ("emoji", "%F0%9F%98%80"), ("percent-alone", "%"), ("bad-escape", "%zz"),
        ("backslash", "a%5Cb"), ("newline", "a%0D%0Ab"), ("rtl", "%E2%80%AEabc"), ("noncharacter", "%EF%BF%BF"),
    ];
}
