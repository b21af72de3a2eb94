using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Orders;
using Portable.Aws.Data;

namespace Portable.Aws.Tests.Fixtures;

/// <summary>The Orders sample's tables, queue, topic (with an SQS subscription) and buckets on the emulators, under unique names, and the environment that names them.</summary>
public sealed class OrdersOnFauxqs : IAsyncDisposable
{
    private OrdersOnFauxqs(Dictionary<string, string> environment, ServiceProvider services)
    {
        Environment = environment;
        Services = services;
    }

    /// <summary>An HTTP API <c>POST /orders</c> of one order.</summary>
    public static string PlaceOrderEvent { get; } = TestEvents.HttpApi(
        "POST", "/orders", body: """{"customerId":"c-42","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}""", contentType: "application/json");

    public Dictionary<string, string> Environment { get; }

    /// <summary>The AWS adapter's services for the sample on these resources.</summary>
    public ServiceProvider Services { get; }

    public IAmazonSQS Sqs => AwsEmulators.Sqs;

    public string PlacedUrl => Environment["PORTABLE_QUEUE_ORDER_PLACED"];

    public string SubscriberUrl { get; private set; } = "";

    public static async Task<OrdersOnFauxqs> CreateAsync()
    {
        AwsEmulators.Require();
        var suffix = AwsEmulators.Unique("trace");
        var environment = new Dictionary<string, string>();
        var services = AwsEmulators.Services(AwsEmulators.App(OrdersApp.Configure), environment);
        var flow = new OrdersOnFauxqs(environment, services);
        var sqs = AwsEmulators.Sqs;
        var sns = services.GetRequiredService<AwsConnection>().Sns;
        environment["PORTABLE_TABLE_ORDERS"] = "orders-" + suffix;
        environment["PORTABLE_TABLE_AUDITS"] = "audits-" + suffix;
        await AwsEmulators.CreateTableAsync(AwsEmulators.Dynamo, "orders-" + suffix);
        await AwsEmulators.CreateTableAsync(AwsEmulators.Dynamo, "audits-" + suffix);
        environment["PORTABLE_QUEUE_ORDER_PLACED"] = await AwsEmulators.CreateQueueAsync(sqs, "order-placed-" + suffix);
        var topicArn = SnsClient.Element(await sns.CallAsync("CreateTopic", [new("Name", "order-confirmations-" + suffix)], default), "TopicArn")!;
        environment["PORTABLE_TOPIC_ORDER_CONFIRMATIONS"] = topicArn;
        flow.SubscriberUrl = await AwsEmulators.CreateQueueAsync(sqs, "confirmations-sub-" + suffix);
        foreach (var (variable, bucket) in new[] { ("PORTABLE_BUCKET_IMPORTS", ImportOrders.Bucket), ("PORTABLE_BUCKET_RECEIPTS", SendConfirmation.ReceiptsBucket) })
        {
            environment[variable] = bucket + "-" + suffix;
            await AwsEmulators.CreateBucketAsync(services, bucket + "-" + suffix);
        }

        await sns.CallAsync("Subscribe", [new("TopicArn", topicArn), new("Protocol", "sqs"), new("Endpoint", await AwsEmulators.QueueArnAsync(sqs, flow.SubscriberUrl))], default);
        return flow;
    }

    /// <summary>Receives what a queue holds, with every message and system attribute, and deletes it.</summary>
    public static async Task<List<Message>> ReceiveAsync(IAmazonSQS sqs, string url)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = url,
            MaxNumberOfMessages = 10,
            WaitTimeSeconds = 5,
            MessageAttributeNames = ["All"],
            MessageSystemAttributeNames = ["All"],
        });
        var messages = response.Messages ?? [];
        foreach (var message in messages) await sqs.DeleteMessageAsync(url, message.ReceiptHandle);
        return messages;
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
