using System.Text;
using NSubstitute;
using Portable.Hosting;
using Portable.Local.Queues;
using Portable.Local.Storage;

namespace Portable.Local.Tests;

/// <summary>The local queue offers its sends to the invocation's outbox first, as every queue does (a cloud driver of the test host sets one).</summary>
public sealed class InvocationOutboxTests : IDisposable
{
    private readonly LocalStore _store = new(new LocalOptions { InMemory = true });
    private readonly LocalQueueStore _queues;
    private readonly LocalQueue<Job> _queue;

    public InvocationOutboxTests()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AddJson(TestJson.Default);
        builder.Resources.AddQueue<Job>("jobs");
        _queues = new LocalQueueStore(_store, new LocalOptions(), TimeProvider.System);
        _queue = new LocalQueue<Job>(builder.Build().Catalog, _queues);
    }

    [Fact]
    public async Task SendsTheOutboxTakes_AreHandedOverAsJson_AndNotQueued()
    {
        var outbox = Substitute.For<IInvocationOutbox>();
        var sent = new List<string>();
        outbox.TryCollect("jobs", Arg.Do<IReadOnlyList<byte[]>>(m => sent.AddRange(m.Select(Encoding.UTF8.GetString))), Arg.Any<SendOptions?>()).Returns(true);
        InvocationOutbox.Current = outbox;
        try
        {
            await _queue.SendAsync(new Job("a", "ok"), null, default);
            await _queue.SendBatchAsync([new Job("b", "ok"), new Job("c", "ok")], null, default);
        }
        finally
        {
            InvocationOutbox.Current = null;
        }

        Assert.Equal(["""{"id":"a","mode":"ok"}""", """{"id":"b","mode":"ok"}""", """{"id":"c","mode":"ok"}"""], sent);
        Assert.Equal(0, _queues.PendingCount());
    }

    [Fact]
    public async Task SendsTheOutboxDeclines_AndSendsWithoutAnOutbox_AreQueued()
    {
        var outbox = Substitute.For<IInvocationOutbox>();
        outbox.TryCollect(default!, default!, default).ReturnsForAnyArgs(false);
        InvocationOutbox.Current = outbox;
        try
        {
            await _queue.SendAsync(new Job("declined", "ok"), new SendOptions { Delay = TimeSpan.FromSeconds(5) }, default);
        }
        finally
        {
            InvocationOutbox.Current = null;
        }

        await _queue.SendAsync(new Job("plain", "ok"), null, default);

        outbox.Received(1).TryCollect("jobs", Arg.Any<IReadOnlyList<byte[]>>(), Arg.Is<SendOptions?>(o => o!.Delay == TimeSpan.FromSeconds(5)));
        Assert.Equal(2, _queues.PendingCount());
    }

    [Fact]
    public async Task DelayOutOfRange_IsRefusedBeforeTheOutboxSeesTheSend()
    {
        var outbox = Substitute.For<IInvocationOutbox>();
        InvocationOutbox.Current = outbox;
        try
        {
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _queue.SendAsync(new Job("late", "ok"), new SendOptions { Delay = TimeSpan.FromHours(1) }, default));
        }
        finally
        {
            InvocationOutbox.Current = null;
        }

        outbox.DidNotReceiveWithAnyArgs().TryCollect(default!, default!, default);
    }

    public void Dispose() => _store.Dispose();
}
