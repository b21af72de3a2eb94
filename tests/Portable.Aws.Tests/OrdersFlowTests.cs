using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Orders;
using Portable.Aws.Data;
using Portable.Aws.Events;
using Portable.Aws.Runtime;
using Portable.Aws.Tests.Fixtures;

namespace Portable.Aws.Tests;

/// <summary>
/// The whole Orders flow on the AWS adapter, against DynamoDB Local and fauxqs: HTTP API <c>POST /orders</c> → the item in
/// DynamoDB → the message on SQS → that message as an SQS event into SendConfirmation → the SNS publish seen on an SQS
/// subscription → the order confirmed (and audited by the topic function fed from the subscription), its receipt in S3 and
/// downloadable through the pre-signed URL of <c>GET /orders/{id}</c>.
/// </summary>
public sealed class OrdersFlowTests : IAsyncLifetime
{
    private readonly string _suffix = AwsEmulators.Unique("flow");
    private readonly Dictionary<string, string> _environment = [];
    private ServiceProvider _services = null!;
    private IAmazonSQS _sqs = null!;
    private string _placedUrl = "";
    private string _subscriberUrl = "";

    public async Task InitializeAsync()
    {
        AwsEmulators.Require();
        var app = AwsEmulators.App(OrdersApp.Configure);
        _services = AwsEmulators.Services(app, _environment);
        var dynamo = AwsEmulators.Dynamo;
        _sqs = AwsEmulators.Sqs;
        var sns = _services.GetRequiredService<AwsConnection>().Sns;

        _environment["PORTABLE_TABLE_ORDERS"] = "orders-" + _suffix;
        _environment["PORTABLE_TABLE_AUDITS"] = "audits-" + _suffix;
        await AwsEmulators.CreateTableAsync(dynamo, "orders-" + _suffix);
        await AwsEmulators.CreateTableAsync(dynamo, "audits-" + _suffix);
        var dlq = await AwsEmulators.CreateQueueAsync(_sqs, "order-placed-dlq-" + _suffix);
        _placedUrl = await AwsEmulators.CreateQueueAsync(_sqs, "order-placed-" + _suffix, new Dictionary<string, string>
        {
            ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{await AwsEmulators.QueueArnAsync(_sqs, dlq)}\",\"maxReceiveCount\":\"5\"}}",
        });
        _environment["PORTABLE_QUEUE_ORDER_PLACED"] = _placedUrl;
        foreach (var (variable, bucket) in new[] { ("PORTABLE_BUCKET_IMPORTS", ImportOrders.Bucket), ("PORTABLE_BUCKET_RECEIPTS", SendConfirmation.ReceiptsBucket) })
        {
            _environment[variable] = bucket + "-" + _suffix;
            await AwsEmulators.CreateBucketAsync(_services, bucket + "-" + _suffix);
        }

        var topicArn = SnsClient.Element(await sns.CallAsync("CreateTopic", [new("Name", "order-confirmations-" + _suffix)], default), "TopicArn")!;
        _environment["PORTABLE_TOPIC_ORDER_CONFIRMATIONS"] = topicArn;
        _subscriberUrl = await AwsEmulators.CreateQueueAsync(_sqs, "confirmations-sub-" + _suffix);
        await sns.CallAsync("Subscribe", [new("TopicArn", topicArn), new("Protocol", "sqs"), new("Endpoint", await AwsEmulators.QueueArnAsync(_sqs, _subscriberUrl))], default);
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task PlacedOrder_TravelsThroughDynamoDbSqsAndSns_AndEndsConfirmed()
    {
        var dispatcher = _services.GetRequiredService<AwsEventDispatcher>();

        var placed = await InvokeAsync(dispatcher, "PlaceOrder", TestEvents.HttpApi(
            "POST", "/orders", body: """{"customerId":"c-42","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}""", contentType: "application/json"));
        Assert.Equal(201, placed.GetProperty("statusCode").GetInt32());
        var view = JsonSerializer.Deserialize(placed.GetProperty("body").GetString()!, OrdersJson.Default.OrderView)!;
        Assert.Equal(OrderStatus.Placed, view.Status);
        Assert.Equal(42.5m, view.Total);

        var item = await AwsEmulators.Dynamo.GetItemAsync("orders-" + _suffix, new()
        {
            ["id"] = new() { S = view.OrderId },
        });
        Assert.Contains("\"status\":\"placed\"", item.Item["doc"].S, StringComparison.Ordinal);
        Assert.Equal("1", item.Item["n"].N);

        var confirmation = await AwsEmulators.PollOnceAsync(_sqs, _placedUrl, dispatcher, "SendConfirmation", waitSeconds: 5);
        Assert.Single(confirmation.Received);
        Assert.Empty(confirmation.Failed);

        var published = Assert.Single(await AwsEmulators.ReceiveAsync(_sqs, _subscriberUrl, waitSeconds: 5, visibilityTimeout: 0));
        var envelope = JsonDocument.Parse(published.Body).RootElement;
        Assert.Equal($"Order {view.OrderId} confirmed", envelope.GetProperty("Subject").GetString());
        var confirmed = JsonSerializer.Deserialize(envelope.GetProperty("Message").GetString()!, OrdersJson.Default.OrderConfirmed)!;
        Assert.Equal(view.OrderId, confirmed.OrderId);

        var stored = await _services.GetRequiredService<IRepository<Order>>().GetAsync(view.OrderId, default);
        Assert.Equal(OrderStatus.Confirmed, stored!.Value.Status);
        Assert.StartsWith("2.", stored.Version, StringComparison.Ordinal);

        var audit = await AwsEmulators.PollOnceAsync(_sqs, _subscriberUrl, dispatcher, "AuditConfirmation", waitSeconds: 5);
        Assert.Empty(audit.Failed);
        Assert.Equal("c-42", (await _services.GetRequiredService<IRepository<AuditEntry>>().GetAsync(view.OrderId, default))!.Value.CustomerId);

        var got = await InvokeAsync(dispatcher, "GetOrder", TestEvents.HttpApi("GET", "/orders/" + view.OrderId));
        Assert.Equal(200, got.GetProperty("statusCode").GetInt32());
        var shown = JsonDocument.Parse(got.GetProperty("body").GetString()!).RootElement;
        Assert.Equal("confirmed", shown.GetProperty("status").GetString());

        // The receipt SendConfirmation wrote to S3, through the pre-signed URL (fauxqs serves it; it does not check signatures).
        var receiptUrl = new Uri(shown.GetProperty("receiptUrl").GetString()!);
        Assert.Contains("receipts-" + _suffix, receiptUrl.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", receiptUrl.Query, StringComparison.Ordinal);
        using var browser = new HttpClient();
        Assert.Contains($"Receipt for order {view.OrderId}", await browser.GetStringAsync(receiptUrl), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidOrder_IsAnswered400InTheHttpApiShape_AndNothingIsQueued()
    {
        var dispatcher = _services.GetRequiredService<AwsEventDispatcher>();

        var refused = await InvokeAsync(dispatcher, "PlaceOrder", TestEvents.HttpApi("POST", "/orders", body: """{"customerId":"","items":[]}""", contentType: "application/json"));

        Assert.Equal(400, refused.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/problem+json", refused.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Empty(await AwsEmulators.ReceiveAsync(_sqs, _placedUrl, waitSeconds: 0));
    }

    private static async Task<JsonElement> InvokeAsync(AwsEventDispatcher dispatcher, string function, string eventJson)
    {
        var output = await dispatcher.DispatchAsync(dispatcher.Catalog.Get(function), new LambdaInvocation { RequestId = Guid.NewGuid().ToString(), Payload = Encoding.UTF8.GetBytes(eventJson) }, default);
        return TestEvents.Parse(Encoding.UTF8.GetString(output.Span));
    }
}
