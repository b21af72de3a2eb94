using System.Text;
using System.Text.Json;
using Portable.Azure.Bindings;
using Portable.Azure.Data;

namespace Portable.Azure.Tests;

/// <summary>The format a Storage queue message carries its sender's trace context in, and the Event Grid tracing extension.</summary>
public sealed class QueueMessageTraceTests
{
    private static readonly TraceContext Sender = TraceContext.Create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", sampled: true);

    [Fact]
    public void Attach_PutsTraceparentFirst_AndDetachGivesBackTheMessageAndTheContext()
    {
        var sent = QueueMessageTrace.Attach("""{"orderId":1,"quantity":2}"""u8.ToArray(), Sender);

        Assert.Equal("""{"$traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","orderId":1,"quantity":2}""", Encoding.UTF8.GetString(sent));
        var read = QueueMessageTrace.Detach(sent, out var carried);
        Assert.Equal("""{"orderId":1,"quantity":2}""", Encoding.UTF8.GetString(read.Span));
        Assert.Equal(Sender.TraceParent, carried!.TraceParent);
    }

    [Fact]
    public void TraceState_TravelsEscaped_AndComesBackAsItWas()
    {
        var context = TraceContext.ParseOrNew(Sender.TraceParent, "congo=t61rcWkgMzE,rojo=\"00f0\\x\"");

        var read = QueueMessageTrace.Detach(QueueMessageTrace.Attach("""{"a":1}"""u8.ToArray(), context), out var carried);

        Assert.Equal("""{"a":1}""", Encoding.UTF8.GetString(read.Span));
        Assert.Equal(context.TraceState, carried!.TraceState);
    }

    [Theory]
    [InlineData("""{"orderId":"o-1"}""")]
    [InlineData("""{ "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "orderId": "o-1" }""")]
    [InlineData("""{"orderId":"$traceparent"}""")]
    [InlineData("""["$traceparent"]""")]
    [InlineData("\"text\"")]
    [InlineData("not json {\"$traceparent\":1")]
    [InlineData("")]
    public void MessageFromAnotherProducer_IsReadExactlyAsItIs_WithNoContext(string message)
    {
        var read = QueueMessageTrace.Detach(Encoding.UTF8.GetBytes(message), out var carried);

        Assert.Equal(message, Encoding.UTF8.GetString(read.Span));
        Assert.Null(carried);
    }

    [Fact]
    public void ReformattedMessage_AsTheHostMayPassIt_IsStillDetached()
    {
        var message = "{\n  \"$traceparent\" : \"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\" ,\n  \"orderId\": \"o-1\"\n}";

        var read = QueueMessageTrace.Detach(Encoding.UTF8.GetBytes(message), out var carried);

        Assert.Equal("o-1", JsonDocument.Parse(read).RootElement.GetProperty("orderId").GetString());
        Assert.Single(JsonDocument.Parse(read).RootElement.EnumerateObject());
        Assert.Equal(Sender.TraceId, carried!.TraceId);
    }

    [Fact]
    public void EmptyObject_CarriesTheContext_AndIsReadAsAnEmptyObject()
    {
        var sent = QueueMessageTrace.Attach("{}"u8.ToArray(), Sender);

        Assert.Equal("{}", Encoding.UTF8.GetString(QueueMessageTrace.Detach(sent, out var carried).Span));
        Assert.NotNull(carried);
    }

    [Fact]
    public void InvalidTraceparent_IsStillTakenOff_ButGivesNoContext()
    {
        var read = QueueMessageTrace.Detach("""{"$traceparent":"00-zz","a":1}"""u8.ToArray(), out var carried);

        Assert.Equal("""{"a":1}""", Encoding.UTF8.GetString(read.Span));
        Assert.Null(carried);
    }

    [Fact]
    public void MessageThatTheContextWouldPushOverTheStorageLimit_IsSentWithoutIt()
    {
        var body = Encoding.UTF8.GetBytes("{\"text\":\"" + new string('x', StoragePoisonQueue.MaxMessageBytes - 20) + "\"}");
        var fits = Encoding.UTF8.GetBytes("{\"text\":\"" + new string('x', StoragePoisonQueue.MaxMessageBytes - 200) + "\"}");

        Assert.Same(body, QueueMessageTrace.Attach(body, Sender));
        Assert.True(QueueMessageTrace.Attach(fits, Sender).Length is > 0 and <= StoragePoisonQueue.MaxMessageBytes);
        Assert.NotSame(fits, QueueMessageTrace.Attach(fits, Sender));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    public void MessageThatIsNotAnObject_IsSentAsItIs(string message)
    {
        var body = Encoding.UTF8.GetBytes(message);

        Assert.Same(body, QueueMessageTrace.Attach(body, Sender));
    }

    [Fact]
    public void NoContext_SendsTheMessageAsItIs()
    {
        var body = """{"a":1}"""u8.ToArray();

        Assert.Same(body, QueueMessageTrace.Attach(body, null));
    }

    [Fact]
    public void EventGridEvent_CarriesTheDistributedTracingExtension_OverAnAttributeOfTheSameName()
    {
        var notification = new Notification("notices", """{"a":1}""") { Attributes = new Dictionary<string, string> { ["traceparent"] = "user value", ["kind"] = "k" } };
        var context = TraceContext.ParseOrNew(Sender.TraceParent, "congo=t61rcWkgMzE");

        using var batch = JsonDocument.Parse(EventGridNotifier.Encode("app", notification, "n-1", DateTimeOffset.UnixEpoch, context));

        var cloudEvent = batch.RootElement[0];
        Assert.Equal(Sender.TraceParent, cloudEvent.GetProperty("traceparent").GetString());
        Assert.Equal("congo=t61rcWkgMzE", cloudEvent.GetProperty("tracestate").GetString());
        Assert.Equal("k", cloudEvent.GetProperty("kind").GetString());
        Assert.Single(cloudEvent.EnumerateObject(), p => p.Name == "traceparent");
    }

    [Fact]
    public void EventGridEventWithoutContext_KeepsTheAttributesAsBefore()
    {
        var notification = new Notification("notices", "{}") { Attributes = new Dictionary<string, string> { ["traceparent"] = "user value" } };

        using var batch = JsonDocument.Parse(EventGridNotifier.Encode("app", notification, "n-1", DateTimeOffset.UnixEpoch));

        Assert.Equal("user value", batch.RootElement[0].GetProperty("traceparent").GetString());
        Assert.False(batch.RootElement[0].TryGetProperty("tracestate", out _));
    }
}
