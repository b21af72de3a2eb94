using System.Text;
using System.Text.Json;
using Portable.Aws.Events;

namespace Portable.Aws.Tests;

/// <summary>
/// An HTTP event's body read where it lies in the event (the runtime client's own array) is the same body as the one read into
/// a copy: escaped text, base64 with and without escaped slashes, and the same refusals.
/// </summary>
public sealed class HttpBodyInPlaceTests
{
    public static TheoryData<string, bool> Bodies => new()
    {
        { "plain", false },
        { "{\"customerId\":\"c-1\",\"items\":[{\"sku\":\"A\\\\B\",\"quantity\":2}]}", false },
        { "caf\u00e9 \u20ac \U0001F600 tab\tnewline\n quote\" backslash\\ slash/", false },
        { Convert.ToBase64String(Encoding.UTF8.GetBytes("bytes \u00ff\u00fe?>")), true },
        { Convert.ToBase64String([0xFB, 0xFF, 0xBF, 0x00, 0x3F]), true },
        { "", false },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void ReadBody_InPlace_IsTheBodyReadIntoACopy(string body, bool base64)
    {
        foreach (var escapeSlashes in new[] { false, true })
        {
            var json = Event(body, base64, escapeSlashes);
            var copy = HttpEvents.ReadBody(json, HttpEventScan.Read(json), base64).ToArray();
            var owned = (byte[])json.Clone();

            var inPlace = HttpEvents.ReadBody(owned, HttpEventScan.Read(owned), base64, overwrite: true).ToArray();

            Assert.Equal(copy, inPlace);
            Assert.Equal(base64 ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body), inPlace);
        }
    }

    [Theory]
    [InlineData("\"\\ud800 lone\"", false)]
    [InlineData("\"not base64!\"", true)]
    [InlineData("\"QUJD\\u0021\"", true)]
    public void ReadBody_InPlace_RefusesWhatTheCopyRefuses(string bodyToken, bool base64)
    {
        var json = Encoding.UTF8.GetBytes($$"""{"rawPath":"/x","isBase64Encoded":{{(base64 ? "true" : "false")}},"body":{{bodyToken}}}""");

        var copy = Assert.Throws<InvalidInputException>(() => HttpEvents.ReadBody(json, HttpEventScan.Read(json), base64));
        var inPlace = Assert.Throws<InvalidInputException>(() => HttpEvents.ReadBody(json, HttpEventScan.Read(json), base64, overwrite: true));

        Assert.Equal(base64, copy.Message.Contains("base64", StringComparison.Ordinal));
        Assert.Equal(base64, inPlace.Message.Contains("base64", StringComparison.Ordinal));
    }

    private static byte[] Event(string body, bool base64, bool escapeSlashes)
    {
        var token = JsonSerializer.Serialize(body);
        if (escapeSlashes) token = token.Replace("/", "\\/", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes($$$"""{"version":"2.0","rawPath":"/orders","requestContext":{"http":{"method":"POST"}},"isBase64Encoded":{{{(base64 ? "true" : "false")}}},"body":{{{token}}}}""");
    }
}
