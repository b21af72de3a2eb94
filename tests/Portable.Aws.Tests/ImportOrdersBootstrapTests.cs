using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orders;
using Portable.Aws.Tests.Fixtures;
using Portable.Blobs;

namespace Portable.Aws.Tests;

/// <summary>
/// Issue #15's sample flow on AWS through the real entry point: a CSV lands in the <c>imports</c> bucket on fauxqs's S3, and the
/// published Native AOT <c>bootstrap</c> of <c>ImportOrders</c> gets S3's notification (the published <c>s3-event.json</c> shape,
/// direct and through SQS) from an in-test Runtime API; the orders land in DynamoDB Local and their confirmations on SQS.
/// </summary>
public sealed class ImportOrdersBootstrapTests(SharedPublishedBootstrap published) : IClassFixture<SharedPublishedBootstrap>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task S3Notification_OfAThreeLineCsv_PlacesThreeOrders_AndTheSameNotificationAgainPlacesNone()
    {
        await using var flow = await OrdersOnFauxqs.CreateAsync();
        const string Name = "batches/day 1.csv";
        var customer = AwsEmulators.Unique("c-import");
        await UploadAsync(flow, Name, $"customerId,sku,quantity,unitPrice\n{customer},A,1,10.50\n{customer},B,2,3\n{customer},C,3,0.25\n");
        var output = new ConcurrentQueue<string>();
        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = PublishedBootstrap.StartAt(published.Output, api.Address, "ImportOrders", flow.Environment, output.Enqueue);
        try
        {
            var notification = S3Notification(flow.Environment["PORTABLE_BUCKET_IMPORTS"], "batches/day+1.csv");
            var first = await api.Enqueue(notification).WaitAsync(Wait);
            Assert.True(first.Kind == "response", $"{first.Kind} {first.Body}\n{string.Join('\n', output)}");

            var orders = flow.Services.GetRequiredService<IRepository<Order>>();
            var ids = Enumerable.Range(2, 3).Select(line => ImportOrders.OrderIdOf(ImportOrders.Bucket, Name, line)).ToList();
            var stored = new List<Stored<Order>>();
            foreach (var id in ids) stored.Add(await orders.GetAsync(id, default) ?? throw new Xunit.Sdk.XunitException($"order {id} was not placed:\n{string.Join('\n', output)}"));
            Assert.All(stored, o => Assert.Equal(customer, o.Value.CustomerId));
            Assert.Equal(["A", "B", "C"], stored.Select(o => o.Value.Items.Single().Sku));
            Assert.Equal([10.5m, 6m, 0.75m], stored.Select(o => o.Value.Total));
            var queued = await DrainAsync(flow);
            Assert.Equal(ids.Order(StringComparer.Ordinal), queued.Order(StringComparer.Ordinal));

            // The same change again, as S3 delivers it through an SQS queue: no order is placed twice (the versions stay 1).
            var again = await api.Enqueue(TestEvents.Sqs([("m-again", notification, 2)])).WaitAsync(Wait);
            Assert.Equal("response", again.Kind);
            Assert.Equal("{\"batchItemFailures\":[]}", again.Body);
            foreach (var id in ids) Assert.StartsWith("1.", (await orders.GetAsync(id, default))!.Version, StringComparison.Ordinal);
            Assert.Contains(output, line => line.Contains("0 order(s) placed, 3 placed before", StringComparison.Ordinal));
            Assert.False(process.HasExited);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task S3Notification_FromABucketTheFunctionDoesNotTake_IsAnInvalidEvent_AndTheBootstrapKeepsServing()
    {
        await using var flow = await OrdersOnFauxqs.CreateAsync();
        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = PublishedBootstrap.StartAt(published.Output, api.Address, "ImportOrders", flow.Environment);
        try
        {
            var refused = await api.Enqueue(S3Notification("someone-elses-bucket", "a.csv")).WaitAsync(Wait);
            Assert.Equal("error", refused.Kind);
            Assert.Equal("Runtime.InvalidEvent", refused.ErrorType);
            Assert.Contains("someone-elses-bucket", refused.Body, StringComparison.Ordinal);

            // A notification of an object already gone (deleted before the import ran) is done, not retried.
            var gone = await api.Enqueue(S3Notification(flow.Environment["PORTABLE_BUCKET_IMPORTS"], "never-uploaded.csv")).WaitAsync(Wait);
            Assert.Equal("response", gone.Kind);
            Assert.False(process.HasExited);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static async Task UploadAsync(OrdersOnFauxqs flow, string name, string csv)
    {
        var imports = flow.Services.GetRequiredKeyedService<IBlobStore>(ImportOrders.Bucket);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        await imports.PutAsync(name, content, new BlobPutOptions { ContentType = "text/csv" }, default);
    }

    /// <summary>Takes every message off the order-placed queue; returns their order ids.</summary>
    private static async Task<List<string>> DrainAsync(OrdersOnFauxqs flow)
    {
        var ids = new List<string>();
        for (var batch = await OrdersOnFauxqs.ReceiveAsync(flow.Sqs, flow.PlacedUrl); batch.Count > 0; batch = await OrdersOnFauxqs.ReceiveAsync(flow.Sqs, flow.PlacedUrl))
        {
            ids.AddRange(batch.Select(m => JsonNode.Parse(m.Body)!["orderId"]!.GetValue<string>()));
        }

        return ids;
    }

    /// <summary>The published S3 notification (aws-lambda-go's s3-event.json) for one new object, its key URL-encoded as S3 sends it.</summary>
    private static string S3Notification(string bucket, string encodedKey)
    {
        var root = JsonNode.Parse(Vectors.Read("aws-lambda-go/s3-event.json"))!;
        var record = root["Records"]![0]!;
        record["eventTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        record["s3"]!["bucket"]!["name"] = bucket;
        record["s3"]!["bucket"]!["arn"] = "arn:aws:s3:::" + bucket;
        record["s3"]!["object"]!["key"] = encodedKey;
        return root.ToJsonString();
    }
}
