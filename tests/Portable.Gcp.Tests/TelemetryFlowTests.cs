using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Portable.Contracts.Otlp;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>
/// Issue #12's acceptance on GCP: the Orders sample published Native AOT, one process per function as Cloud Run runs it, exporting
/// OTLP to an in-test receiver; its Firestore and Pub/Sub calls go to the in-test Google APIs, and what one function publishes is
/// pushed (a Pub/Sub push envelope) to the next. One order yields one trace PlaceOrder → SendConfirmation → AuditConfirmation.
/// </summary>
public sealed class TelemetryFlowTests
{
    [Fact]
    public async Task PlacedOrder_YieldsOneTraceAcrossThreePublishedFunctions_AndItsMetricsReachTheReceiver()
    {
        var executable = await PublishedOrders.GetAsync();
        await using var otlp = await OtlpReceiver.StartAsync();
        await using var google = await FakeGoogleApis.StartAsync();
        await using var storage = await FakeCloudStorage.StartAsync();
        storage.CreateBucket(GcsTestServices.Physical("receipts")); // SendConfirmation writes the order's receipt there
        using var place = await Start(executable, "PlaceOrder", otlp, google, storage);
        using var confirm = await Start(executable, "SendConfirmation", otlp, google, storage);
        using var audit = await Start(executable, "AuditConfirmation", otlp, google, storage);

        var placed = await place.Client.PostAsync("/orders", new StringContent("""{"customerId":"c-1","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var placedMessage = Assert.Single(google.PublishedTo("order-placed"));
        Assert.True(placedMessage.Attributes.ContainsKey("googclient_traceparent"), string.Join(", ", placedMessage.Attributes.Keys));
        Assert.Equal(HttpStatusCode.NoContent, (await PushDelivery.PushAsync(confirm.Client, placedMessage)).StatusCode);
        var confirmation = Assert.Single(google.PublishedTo("order-confirmations"));
        Assert.Equal(HttpStatusCode.NoContent, (await PushDelivery.PushAsync(audit.Client, confirmation)).StatusCode);

        string[] functions = ["PlaceOrder", "SendConfirmation", "AuditConfirmation"];
        var spans = await otlp.WaitForSpansAsync(s => functions.All(f => s.Any(x => x.Name == f)), TimeSpan.FromSeconds(30));
        var byName = functions.ToDictionary(f => f, f => Assert.Single(spans, s => s.Name == f));
        var trace = byName["PlaceOrder"].TraceId;
        Assert.All(byName.Values, s => Assert.Equal(trace, s.TraceId));
        Assert.Equal(ActivityKind.Server, byName["PlaceOrder"].Kind);
        Assert.Equal(ActivityKind.Consumer, byName["SendConfirmation"].Kind);
        Assert.Equal(ActivityKind.Consumer, byName["AuditConfirmation"].Kind);
        Assert.Equal("gcp_pubsub", byName["SendConfirmation"].Attribute("messaging.system"));
        Assert.Equal(placedMessage.MessageId, byName["SendConfirmation"].Attribute("messaging.message.id"));

        // Each consumer's parent is the producer span of the send / publish, a child of the function that sent it.
        var send = Assert.Single(spans, s => s.SpanId == byName["SendConfirmation"].ParentSpanId);
        Assert.Equal((ActivityKind.Producer, "send order-placed", byName["PlaceOrder"].SpanId), (send.Kind, send.Name, send.ParentSpanId));
        var publish = Assert.Single(spans, s => s.SpanId == byName["AuditConfirmation"].ParentSpanId);
        Assert.Equal((ActivityKind.Producer, "publish order-confirmations", byName["SendConfirmation"].SpanId), (publish.Kind, publish.Name, publish.ParentSpanId));

        static bool Counted(IReadOnlyList<OtlpMetric> m, string name) => m.Any(x => x.Name == name && x.DataPoints.Any(p => p.Value >= 1));
        static bool ByFunction(IReadOnlyList<OtlpMetric> m, string name, string function)
            => m.Any(x => x.Name == name && x.DataPoints.Any(p => Equals(p.Attributes.GetValueOrDefault("faas.invoked_name"), function)));
        var received = await otlp.WaitForMetricsAsync(
            m => Counted(m, "orders.placed") && functions.All(f => ByFunction(m, "faas.invocations", f) && ByFunction(m, "faas.invoke_duration", f)),
            TimeSpan.FromSeconds(30));
        Assert.True(Counted(received, "orders.placed"));
        Assert.Empty(otlp.Errors);
    }

    private static Task<ConformanceProcess> Start(string executable, string target, OtlpReceiver otlp, FakeGoogleApis google, FakeCloudStorage storage)
        => ConformanceProcess.StartAsync(executable, null, new Dictionary<string, string>
        {
            ["FUNCTION_TARGET"] = target,
            ["STORAGE_EMULATOR_HOST"] = storage.HostAndPort,
            ["GCE_METADATA_HOST"] = storage.HostAndPort,
            ["Portable__Gcp__SigningKeyFile"] = TestServiceAccount.KeyFile,
            ["GOOGLE_CLOUD_PROJECT"] = "test-project",
            ["FIRESTORE_EMULATOR_HOST"] = google.HostAndPort,
            ["PUBSUB_EMULATOR_HOST"] = google.HostAndPort,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        }, "/favicon.ico");
}
