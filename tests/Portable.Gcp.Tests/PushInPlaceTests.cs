using System.Text;
using System.Text.Json.Nodes;
using Portable.Gcp.Events;

namespace Portable.Gcp.Tests;

/// <summary>A push envelope's data decoded where it lies in the host's body buffer is the data decoded into a copy, with the same refusals.</summary>
public sealed class PushInPlaceTests
{
    [Theory]
    [InlineData("{\"orderId\":\"o-1\"}", false)]
    [InlineData("caf\u00e9 \u20ac", false)]
    [InlineData("?>?>?>", true)]
    [InlineData("", false)]
    public void ReadMessage_InPlace_GivesTheDataTheCopyGives(string text, bool escapeSlashes)
    {
        var body = Push(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)), escapeSlashes);
        var copy = PubSubEvents.ReadMessage(new HttpRequestData("POST", "/projects/p/topics/t") { Body = body }, pooled: false);
        var scratch = (byte[])body.Clone();

        var inPlace = PubSubEvents.ReadMessage(new HttpRequestData("POST", "/projects/p/topics/t") { Body = scratch }, pooled: true, inPlace: true);

        Assert.Equal(Encoding.UTF8.GetBytes(text), inPlace.Data.ToArray());
        Assert.Equal(copy.Data.ToArray(), inPlace.Data.ToArray());
        Assert.Equal(copy.MessageId, inPlace.MessageId);
        Assert.Equal(copy.Attributes, inPlace.Attributes);
        Assert.Null(inPlace.Rented);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("QUJD\\u0021")]
    [InlineData("QUJ")]
    public void ReadMessage_InPlace_RefusesDataThatIsNotBase64(string data)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"message":{"data":"{{data}}","messageId":"m-1"},"subscription":"projects/p/subscriptions/s"}""");

        var e = Assert.Throws<InvalidInputException>(() => PubSubEvents.ReadMessage(new HttpRequestData("POST", "/projects/p/topics/t") { Body = body }, pooled: true, inPlace: true));

        Assert.Contains("base64", e.Message, StringComparison.Ordinal);
    }

    private static byte[] Push(string data, bool escapeSlashes)
    {
        var json = new JsonObject
        {
            ["message"] = new JsonObject { ["data"] = data, ["messageId"] = "m-1", ["attributes"] = new JsonObject { ["k"] = "v" } },
            ["subscription"] = "projects/p/subscriptions/s",
        }.ToJsonString();
        return Encoding.UTF8.GetBytes(escapeSlashes ? json.Replace("/", "\\/", StringComparison.Ordinal) : json);
    }
}
