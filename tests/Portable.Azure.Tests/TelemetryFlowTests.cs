using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Portable.Contracts.Otlp;
using Portable.Testing;

namespace Portable.Azure.Tests;

/// <summary>
/// Issue #12's acceptance on Azure: the Orders sample's custom handler, published Native AOT (<see cref="PublishedSample"/>), with
/// Storage on Azurite, Event Grid on an in-test server and <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> at an in-test OTLP receiver. The test
/// plays the Functions host: it forwards POST /orders, delivers the queued message to SendConfirmation and the published event to
/// AuditConfirmation as the host would (each with the host's own, different <c>traceparent</c>), and reads what was exported.
/// </summary>
public sealed class TelemetryFlowTests
{
    private const string Order = """{"customerId":"c-otel","items":[{"sku":"A","quantity":1,"unitPrice":5}]}""";

    [Fact]
    public async Task PublishedHandler_ExportsOneTracePlaceOrderSendConfirmationAuditConfirmation_AndTheInvocationMetrics()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        await using var eventGrid = await CaptureServer.StartAsync();
        var (handler, client) = await PublishedSample.StartAsync(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Portable__Azure__Topics__order_confirmations__Endpoint"] = new Uri(eventGrid.Address, "/api/events").ToString(),
            ["Portable__Azure__Topics__order_confirmations__Key"] = "test-key",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        try
        {
            var placed = await client.PostAsync("/orders", new StringContent(Order, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
            var id = JsonDocument.Parse(await placed.Content.ReadAsStringAsync()).RootElement.GetProperty("orderId").GetString()!;

            var message = await OrdersFlowTests.ReceiveAsync("order-placed", id);
            var confirmed = await InvokeAsync(client, "SendConfirmation", AzureTestDriver.QueuePayload(message.Body.ToString(), (int)message.DequeueCount, message.MessageId, message.InsertedOn), "inv-otel-confirm");
            Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());

            var published = Assert.Single(eventGrid.Requests, r => r.Body.Contains(id, StringComparison.Ordinal));
            var cloudEvent = JsonDocument.Parse(published.Body).RootElement[0];
            var audited = await InvokeAsync(client, "AuditConfirmation", """{"Data":{"event":""" + cloudEvent.GetRawText() + """},"Metadata":{}}""", "inv-otel-audit");
            Assert.True(audited.StatusCode == HttpStatusCode.OK, await audited.Content.ReadAsStringAsync());

            var spans = await otlp.WaitForSpansAsync(s => s.Any(x => x.Name == "AuditConfirmation") && s.Any(x => x.Name == "publish order-confirmations"), TimeSpan.FromSeconds(30));
            var place = Assert.Single(spans, s => s.Name == "PlaceOrder");
            var confirm = Assert.Single(spans, s => s.Name == "SendConfirmation");
            var audit = Assert.Single(spans, s => s.Name == "AuditConfirmation");
            var send = Assert.Single(spans, s => s.Name == "send order-placed" && s.TraceId == place.TraceId);
            var publish = Assert.Single(spans, s => s.Name == "publish order-confirmations");
            var description = OtlpReceiver.DescribeSpans(spans);

            Assert.True(new[] { confirm, audit, send, publish }.All(s => s.TraceId == place.TraceId), description);
            Assert.Equal((ActivityKind.Server, ActivityKind.Consumer, ActivityKind.Consumer), (place.Kind, confirm.Kind, audit.Kind));
            Assert.Equal(place.SpanId, send.ParentSpanId);
            Assert.Equal(send.SpanId, confirm.ParentSpanId);
            Assert.Equal(confirm.SpanId, publish.ParentSpanId);
            Assert.Equal(publish.SpanId, audit.ParentSpanId);
            Assert.Equal("azure_queue_storage", confirm.Attribute("messaging.system"));
            Assert.Equal(message.MessageId, confirm.Attribute("messaging.message.id"));
            Assert.Equal("eventgrid", audit.Attribute("messaging.system"));
            Assert.Equal("azure", place.Attribute("cloud.provider"));

            var metrics = await otlp.WaitForMetricsAsync(m => new[] { "faas.invocations", "faas.invoke_duration", "orders.placed" }.All(n => m.Any(x => x.Name == n)), TimeSpan.FromSeconds(30));
            Assert.Contains(metrics, m => m.Name == "orders.placed" && m.DataPoints.Count > 0);
        }
        finally
        {
            client.Dispose();
            handler.Kill();
            await handler.WaitForExitAsync();
            handler.Dispose();
        }
    }

    private static Task<HttpResponseMessage> InvokeAsync(HttpClient client, string function, string payload, string invocationId)
    {
        // The host's own trace for the trigger: the message's carried context must win over it.
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", invocationId);
        request.Headers.Add("traceparent", "00-" + Guid.NewGuid().ToString("N") + "-1234567890abcdef-01");
        return client.SendAsync(request);
    }
}
