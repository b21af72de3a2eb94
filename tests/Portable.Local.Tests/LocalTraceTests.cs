using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Portable.Local.Tests;

/// <summary>
/// Issue #12 on the local host: a message sent or published inside a trace carries it through the SQLite store, so the consuming
/// invocation continues it; the store upgrades a database written before messages carried a context; dead-letters are counted.
/// </summary>
public sealed class LocalTraceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("portable-trace-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ASendAndAPublish_WithoutAnyListener_CarryTheSendersTraceToEveryConsumer()
    {
        await using var host = await RunningHost.StartAsync();
        using var sender = new Activity("test sender").SetIdFormat(ActivityIdFormat.W3C).Start(); // no source: nothing listens to it

        await host.Get<IQueue<Job>>().SendAsync(new Job("traced", "notify"), null, default);
        sender.Stop();
        await host.WaitUntilAsync(() => host.Probe.Traces.Count(t => t.MessageId is "traced" or "jobs-done") == 3);

        var traces = host.Probe.Traces.Where(t => t.MessageId is "traced" or "jobs-done").ToList();
        Assert.Equal(["FirstSubscriber", "JobHandler", "SecondSubscriber"], traces.Select(t => t.Function).Order(StringComparer.Ordinal));
        Assert.All(traces, t => Assert.Equal(sender.TraceId.ToHexString(), t.Trace.TraceId));
        var job = traces.Single(t => t.Function == "JobHandler").Trace;
        Assert.NotEqual(sender.SpanId.ToHexString(), job.ParentId); // the consumer's own span, a child of the sender's
    }

    [Fact]
    public async Task WithAListener_SendAndPublishAreProducerSpans_AndEachDeliveryIsAConsumerSpanUnderIt()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Portable",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await RunningHost.StartAsync();
        using var root = new Activity("test root").SetIdFormat(ActivityIdFormat.W3C).Start();
        var traceId = root.TraceId;

        await host.Get<IQueue<Job>>().SendAsync(new Job("spans", "notify"), null, default);
        root.Stop();
        await host.WaitUntilAsync(() => spans.Count(s => s.TraceId == traceId) == 5);

        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        var send = trace.Single(s => s.DisplayName == "send jobs");
        var job = trace.Single(s => s.DisplayName == "JobHandler");
        var publish = trace.Single(s => s.DisplayName == "publish jobs-done");
        var first = trace.Single(s => s.DisplayName == "FirstSubscriber");
        var second = trace.Single(s => s.DisplayName == "SecondSubscriber");
        Assert.Equal(ActivityKind.Producer, send.Kind);
        Assert.Equal(root.SpanId, send.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, job.Kind);
        Assert.Equal(send.SpanId, job.ParentSpanId);
        Assert.Equal(job.SpanId, publish.ParentSpanId);
        Assert.Equal(publish.SpanId, first.ParentSpanId);
        Assert.Equal(publish.SpanId, second.ParentSpanId);
        Assert.All(new[] { send, job, publish, first, second }, s => Assert.Equal("portable_local", s.GetTagItem("messaging.system")));
        Assert.Equal(host.Probe.Traces.Single(t => t.Function == "JobHandler" && t.MessageId == "spans").Trace.ParentId, job.SpanId.ToHexString());
        Assert.NotNull(job.GetTagItem("messaging.message.id"));
        Assert.Equal("jobs", send.GetTagItem("messaging.destination.name"));
    }

    [Fact]
    public async Task ADatabaseFromBeforeMessagesCarriedATrace_IsUpgradedInPlace_ItsMessagesAreDelivered_AndNewOnesCarryTheTrace()
    {
        var file = Path.Combine(_folder, "portable.db");
        using (var old = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            // the messages table as every release before issue #12 wrote it
            command.CommandText = """
                CREATE TABLE messages (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, queue TEXT NOT NULL, body BLOB NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0, visible_at INTEGER NOT NULL, enqueued_at INTEGER NOT NULL,
                    dead INTEGER NOT NULL DEFAULT 0, lease TEXT, last_error TEXT);
                CREATE INDEX messages_ready ON messages (queue, dead, visible_at);
                INSERT INTO messages (id, queue, body, visible_at, enqueued_at) VALUES ('old-1', 'jobs', CAST('{"id":"from-before","mode":"ok"}' AS BLOB), 0, 0);
                """;
            command.ExecuteNonQuery();
        }

        await using var host = await RunningHost.StartAsync(o =>
        {
            o.InMemory = false;
            o.DataDirectory = _folder;
        });
        await host.WaitUntilAsync(() => host.Probe.Deliveries.Any(d => d.Id == "from-before"));
        using (var sender = new Activity("after the upgrade").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            await host.Get<IQueue<Job>>().SendAsync(new Job("after", "ok"), null, default);
        }

        await host.WaitUntilAsync(() => host.Probe.Traces.Any(t => t.MessageId == "after"));

        Assert.Single(host.Probe.Deliveries, d => d.Id == "from-before");
        var before = host.Probe.Traces.Single(t => t.MessageId == "from-before").Trace;
        var after = host.Probe.Traces.Single(t => t.MessageId == "after").Trace;
        Assert.NotEqual(before.TraceId, after.TraceId);
        await host.WaitUntilAsync(() => host.Get<Queues.LocalQueues>().PendingCount() == 0);
        using var check = new SqliteConnection($"Data Source={file};Pooling=False");
        check.Open();
        using var columns = check.CreateCommand();
        columns.CommandText = "SELECT count(*) FROM pragma_table_info('messages') WHERE name IN ('traceparent', 'tracestate')";
        Assert.Equal(2L, (long)columns.ExecuteScalar()!);
    }

    [Fact]
    public async Task AMessageTheHostDeadLetters_IsCountedAsADeadLetter_WithItsReason()
    {
        await using var host = await RunningHost.StartAsync(o => o.MaxDeliveryAttempts = 2);
        var factory = host.Get<IMeterFactory>();
        var deadLetters = new ConcurrentQueue<string>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Portable" && instrument.Meter.Scope == factory && instrument.Name == "portable.message.dead_letters") l.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var reason = tags.ToArray().Single(t => t.Key == "portable.dead_letter.reason").Value;
            for (var i = 0; i < value; i++) deadLetters.Enqueue($"{reason}");
        });
        meters.Start();

        host.Get<Queues.LocalQueues>().SendRaw("jobs", "not json");
        await host.Get<IQueue<Job>>().SendAsync(new Job("doomed", "fail"), null, default);
        await host.WaitUntilAsync(() => host.Get<Queues.LocalQueues>().DeadLetters("jobs").Count == 2);
        await host.WaitUntilAsync(() => deadLetters.Count == 2);

        Assert.Equal(["invalid_input", "max_deliveries"], deadLetters.Order(StringComparer.Ordinal));
    }
}
