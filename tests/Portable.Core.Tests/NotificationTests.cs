using System.Text;
using System.Text.Json;
using Portable.Json;

namespace Portable.Core.Tests;

/// <summary>A notification keeps its body as text or as UTF-8 bytes, whichever it was made from, and converts once on demand.</summary>
public sealed class NotificationTests
{
    private const string Body = "{\"note\":\"héllo ✓ 🎉\"}";

    [Fact]
    public void MadeFromBytes_GivesTheSameBytesBackAndDecodesTheText()
    {
        var bytes = Encoding.UTF8.GetBytes(Body);

        var notification = new Notification("t", bytes);

        Assert.True(notification.Utf8Body.Span == bytes.AsSpan(), "the bytes are used as they are, not copied");
        Assert.Equal(Body, notification.Body);
        Assert.Same(notification.Body, notification.Body);
    }

    [Fact]
    public void MadeFromTextOrFromBytes_TheSameNotificationsAreEqual()
    {
        var fromText = new Notification("t", Body) { Subject = "s" };
        var fromBytes = new Notification("t", Encoding.UTF8.GetBytes(Body)) { Subject = "s" };

        Assert.Equal(fromText, fromBytes);
        Assert.Equal(fromText.GetHashCode(), fromBytes.GetHashCode());
        Assert.NotEqual(fromText, fromBytes with { Body = "other" });
        Assert.NotEqual(fromText, fromBytes with { Attributes = new Dictionary<string, string> { ["k"] = "v" } });
    }

    [Fact]
    public void WithANewBody_ForgetsTheOldBytes()
    {
        var changed = new Notification("t", Encoding.UTF8.GetBytes(Body)) with { Body = "ö" };

        Assert.Equal("ö"u8.ToArray(), changed.Utf8Body.ToArray());
    }

    [Fact]
    public void AsJson_HasTopicAndBodyText_AndReadsBack()
    {
        var json = JsonSerializer.Serialize(new Notification("t", Encoding.UTF8.GetBytes(Body)), CoreJsonContext.Default.Notification);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(Body, document.RootElement.GetProperty("body").GetString());
        Assert.False(document.RootElement.TryGetProperty("utf8Body", out _));
        Assert.Equal(Body, JsonSerializer.Deserialize(json, CoreJsonContext.Default.Notification)!.Body);
    }
}
