using System.Text;
using System.Text.Json;
using Portable.Local.Queues;

namespace Portable.Local.Tests;

/// <summary>A published notification's body is stored as its bytes and reaches every subscriber byte for byte.</summary>
public sealed class NotificationBodyTests
{
    [Fact]
    public async Task NonAsciiMegabyteBody_ReachesATypedAndANotificationSubscriberByteForByte()
    {
        await using var host = await RunningHost.StartAsync();
        var id = "jöb-\"✓\"-🎉-\n-" + new string('ж', 500_000);
        var body = JsonSerializer.Serialize(new Job(id, "done"), TestJson.Default.Job);

        await host.Get<INotifier>().PublishAsync(
            new Notification("jobs-done", Encoding.UTF8.GetBytes(body)) { Subject = "sübject", Attributes = new Dictionary<string, string> { ["ключ"] = "värde" } },
            default);
        await host.WaitUntilAsync(() => host.Probe.Notified.Count == 2 && host.Get<LocalQueueStore>().PendingCount() == 0);

        Assert.Contains("first:" + id, host.Probe.Notified);
        var seen = Assert.Single(host.Probe.Notifications);
        Assert.Equal(body, seen.Body);
        Assert.Equal(Encoding.UTF8.GetBytes(body), seen.Utf8Body.ToArray());
        Assert.Equal("sübject", seen.Subject);
        Assert.Equal("värde", seen.Attributes["ключ"]);
    }

    [Fact]
    public void StoredFrame_KeepsTheBodyAsPublishedAfterAOneLineHeader()
    {
        var body = "{\"a\":\"é\\n\"}\nsecond line";

        var frame = NotificationFrame.Write(new Notification("t", body) { Subject = "s", DeduplicationId = "d" });

        var newline = Array.IndexOf(frame, (byte)'\n');
        Assert.Equal(Encoding.UTF8.GetBytes(body), frame[(newline + 1)..]);
        var read = NotificationFrame.Read(frame);
        Assert.Equal(new Notification("t", body) { Subject = "s", DeduplicationId = "d" }, read);
    }

    [Fact]
    public void NotificationStoredAsWholeJson_ByAnEarlierVersion_IsStillRead()
    {
        var stored = """{"topic":"t","body":"{\"id\":\"é\"}","subject":"s","attributes":{"k":"v"}}"""u8.ToArray();

        var read = NotificationFrame.Read(stored);

        Assert.Equal("{\"id\":\"é\"}", read.Body);
        Assert.Equal("s", read.Subject);
        Assert.Equal("v", read.Attributes["k"]);
    }

    [Fact]
    public void StoredMessageThatIsNotANotification_IsInvalidInput()
        => Assert.Throws<InvalidInputException>(() => NotificationFrame.Read("not json\nbody"u8.ToArray()));
}
