using System.Collections.Concurrent;
using System.Diagnostics;
using Portable.Aws.Tests.Fixtures;
using Portable.Contracts.Otlp;

namespace Portable.Aws.Tests;

/// <summary>
/// Issue #12's acceptance on AWS: the published Native AOT <c>bootstrap</c> of the sample, one process per function against an
/// in-test Runtime API, SQS and SNS on fauxqs, OTLP to an in-test receiver. One order is one trace across the queue and the topic.
/// </summary>
public sealed class TelemetryFlowTests(SharedPublishedBootstrap published) : IClassFixture<SharedPublishedBootstrap>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PlacedOrder_IsOneTraceThroughSendConfirmationAndAuditConfirmation_AndItsMetricsArrive()
    {
        await using var flow = await OrdersOnFauxqs.CreateAsync();
        await using var receiver = await OtlpReceiver.StartAsync();
        var environment = new Dictionary<string, string>(flow.Environment)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        };
        var output = new ConcurrentQueue<string>();
        await using var placeOrderApi = await FakeRuntimeApi.StartAsync();
        await using var sendConfirmationApi = await FakeRuntimeApi.StartAsync();
        await using var auditApi = await FakeRuntimeApi.StartAsync();
        var processes = new[]
        {
            PublishedBootstrap.StartAt(published.Output, placeOrderApi.Address, "PlaceOrder", environment, output.Enqueue),
            PublishedBootstrap.StartAt(published.Output, sendConfirmationApi.Address, "SendConfirmation", environment, output.Enqueue),
            PublishedBootstrap.StartAt(published.Output, auditApi.Address, "AuditConfirmation", environment, output.Enqueue),
        };
        try
        {
            var placed = await placeOrderApi.Enqueue(OrdersOnFauxqs.PlaceOrderEvent).WaitAsync(Wait);
            Assert.True(placed.Body.Contains("\"statusCode\":201", StringComparison.Ordinal), placed.Body + string.Join('\n', output));
            var sent = Assert.Single(await OrdersOnFauxqs.ReceiveAsync(flow.Sqs, flow.PlacedUrl));
            var confirmed = await sendConfirmationApi.Enqueue(TraceEvents.Sqs([sent])).WaitAsync(Wait);
            Assert.Equal("response", confirmed.Kind);
            Assert.DoesNotContain(sent.MessageId, confirmed.Body, StringComparison.Ordinal); // no batch item failure
            var notified = Assert.Single(await OrdersOnFauxqs.ReceiveAsync(flow.Sqs, flow.SubscriberUrl));
            var audited = await auditApi.Enqueue(TraceEvents.Sqs([notified])).WaitAsync(Wait);
            Assert.DoesNotContain(notified.MessageId, audited.Body, StringComparison.Ordinal);

            static bool Has(IReadOnlyList<OtlpSpan> spans, string name) => spans.Any(s => s.Name == name);
            var spans = await receiver.WaitForSpansAsync(s => Has(s, "PlaceOrder") && Has(s, "SendConfirmation") && Has(s, "AuditConfirmation"), Wait);
            var placeOrder = Assert.Single(spans, s => s.Name == "PlaceOrder");
            var sendConfirmation = Assert.Single(spans, s => s.Name == "SendConfirmation");
            var audit = Assert.Single(spans, s => s.Name == "AuditConfirmation");
            Assert.Equal(placeOrder.TraceId, sendConfirmation.TraceId);
            Assert.Equal(placeOrder.TraceId, audit.TraceId);
            var byId = spans.Where(s => s.TraceId == placeOrder.TraceId).ToDictionary(s => s.SpanId);
            var producer = byId[sendConfirmation.ParentSpanId]; // PlaceOrder's send span, a child of PlaceOrder
            Assert.Equal(ActivityKind.Producer, producer.Kind);
            Assert.Equal(placeOrder.SpanId, producer.ParentSpanId);
            Assert.Contains(sendConfirmation.SpanId, Ancestors(byId, audit), StringComparer.Ordinal);
            Assert.Equal("aws_sqs", sendConfirmation.Attribute("messaging.system"));
            Assert.Equal(sent.MessageId, sendConfirmation.Attribute("messaging.message.id"));

            static bool HasMetric(IReadOnlyList<OtlpMetric> metrics, string name) => metrics.Any(m => m.Name == name);
            await receiver.WaitForMetricsAsync(m => HasMetric(m, "faas.invocations") && HasMetric(m, "faas.invoke_duration") && HasMetric(m, "orders.placed"), Wait);
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Kill();
                await process.WaitForExitAsync();
                process.Dispose();
            }
        }
    }

    private static IEnumerable<string> Ancestors(Dictionary<string, OtlpSpan> byId, OtlpSpan span)
    {
        for (var parent = span.ParentSpanId; byId.TryGetValue(parent, out var next); parent = next.ParentSpanId) yield return next.SpanId;
    }
}
