using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portable.Azure.Handler;
using Portable.Testing;

namespace Portable.Azure.Tests;

/// <summary>
/// The payloads of functions that are not HTTP functions are read into one reusable buffer (<see cref="EventPayloadBuffer"/>), so
/// that a large queue message is not garbage for a blocking collection to give back; a payload must see only its own bytes, and
/// payloads that arrive together still each get a buffer.
/// </summary>
public sealed class EventPayloadBufferTests
{
    [Fact]
    public void TryRent_WhileTheBufferIsOut_GivesNull_AndTheSameBufferOnceItIsReturned()
    {
        var payloads = new EventPayloadBuffer();

        var first = payloads.TryRent();
        var whileOut = payloads.TryRent();
        payloads.Return(first!);
        var again = payloads.TryRent();

        Assert.Equal(EventPayloadBuffer.Size, first!.Length);
        Assert.Null(whileOut);
        Assert.Same(first, again);
    }

    [Fact]
    public async Task QueuePayloads_OneLongThenOneShort_EachReadsOnlyItsOwnBytes()
    {
        var probe = new Probe();
        await using var handler = await RunningHandler.StartAsync(TestApp.Configure(probe), new Dictionary<string, string?> { ["AzureWebJobsStorage"] = Azurite.ConnectionString });

        // A message of about 1.5 MB (JSON whitespace between its members), then a short one read into the same buffer.
        var padded = "{\"orderId\":1," + new string(' ', 1_500_000) + "\"quantity\":2}";
        var longAnswer = await handler.InvokeAsync("ProcessOrder", AzureTestDriver.QueuePayload(padded), "inv-long");
        var shortAnswer = await handler.InvokeAsync("ProcessOrder", AzureTestDriver.QueuePayload("""{"orderId":7,"quantity":3}"""), "inv-short");

        Assert.Equal(HttpStatusCode.OK, longAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shortAnswer.StatusCode);
        Assert.Equal(new QueueItem(1, 2), probe.Seen.Single(s => s.InvocationId == "inv-long").Input);
        Assert.Equal(new QueueItem(7, 3), probe.Seen.Single(s => s.InvocationId == "inv-short").Input);
    }

    [Fact]
    public async Task LargeQueuePayloadsAtOnce_AreEachAnsweredWithTheirOwnMessage()
    {
        var probe = new Probe();
        await using var handler = await RunningHandler.StartAsync(TestApp.Configure(probe), new Dictionary<string, string?> { ["AzureWebJobsStorage"] = Azurite.ConnectionString });

        var answers = await Task.WhenAll(Enumerable.Range(1, 4).Select(i =>
            handler.InvokeAsync("ProcessOrder", AzureTestDriver.QueuePayload("{\"orderId\":" + i + "," + new string(' ', 700_000) + "\"quantity\":" + (i * 10) + "}"), "inv-" + i)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        for (var i = 1; i <= 4; i++) Assert.Equal(new QueueItem(i, i * 10), probe.Seen.Single(s => s.InvocationId == "inv-" + i).Input);
    }

    [Fact]
    public async Task TheSocketTransport_ReadsAheadAtMost64KiB_NotItsDefaultMegabyte()
    {
        var app = PortableApp.CreateBuilder([]);
        TestApp.Configure(new Probe())(app);
        await using var web = AzureHost.Build(app.Build(), configureOptions: o => o.Port = 0);

        Assert.Equal(64 * 1024, web.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.MaxReadBufferSize);
    }
}
