using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portable.Aws.Data;
using Portable.Aws.Events;
using Portable.Aws.Runtime;
using Portable.Hosting;

namespace Portable.Aws.Tests.Fixtures;

/// <summary>DynamoDB Local and fauxqs, started by tests/emulators/start.sh; a test that needs them fails, with how to start them, when they are not there.</summary>
internal static class AwsEmulators
{
    public static void Require()
    {
        foreach (var name in new[] { "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_SNS", "AWS_REGION" })
        {
            if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(name)))
            {
                throw new InvalidOperationException(
                    $"{name} is not set, so DynamoDB Local and fauxqs are not running for this test. " +
                    "Run tests/emulators/start.sh and source tests/emulators/.env, or run ./test.sh.");
            }
        }
    }

    private static readonly Lazy<IAmazonDynamoDB> DynamoClient = new(() => { Require(); return new AmazonDynamoDBClient(); });
    private static readonly Lazy<IAmazonSQS> SqsClient = new(() => { Require(); return new AmazonSQSClient(); });

    /// <summary>The AWS SDK's DynamoDB client on DynamoDB Local (from AWS_ENDPOINT_URL_DYNAMODB): the tests' own view of the data, independent of the adapter.</summary>
    public static IAmazonDynamoDB Dynamo => DynamoClient.Value;

    /// <summary>The AWS SDK's SQS client on fauxqs (from AWS_ENDPOINT_URL_SQS).</summary>
    public static IAmazonSQS Sqs => SqsClient.Value;

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The AWS adapter's services for an app, on the emulators; <paramref name="overrides"/> win over the process environment.</summary>
    public static ServiceProvider Services(PortableApp app, IReadOnlyDictionary<string, string>? overrides = null)
    {
        Require();
        return AwsHost.BuildServices(app, TextWriter.Null, name => overrides?.GetValueOrDefault(name) ?? Environment.GetEnvironmentVariable(name));
    }

    /// <summary>The AWS adapter's services for an app, on the emulators, with every AWS call sent through <paramref name="handler"/>.</summary>
    public static ServiceProvider Services(PortableApp app, HttpMessageHandler handler)
    {
        Require();
        Func<string, string?> environment = Environment.GetEnvironmentVariable;
        return AwsHost.BuildServices(app, TextWriter.Null, environment, services =>
            services.Replace(ServiceDescriptor.Singleton(_ => new AwsConnection(environment, TimeProvider.System, handler))));
    }

    public static PortableApp App(Action<PortableAppBuilder> configure)
    {
        var builder = PortableApp.CreateBuilder([]);
        configure(builder);
        return builder.Build();
    }

    /// <summary>Creates a table of the shape the SAM template declares: <c>id</c> as the hash key, nothing else in the key.</summary>
    public static async Task CreateTableAsync(IAmazonDynamoDB dynamo, string name)
    {
        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("id", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
        });
    }

    /// <summary>
    /// Creates an S3 bucket on fauxqs (AWS_ENDPOINT_URL_S3) through the adapter's own signed client, as the S3 contract does; the
    /// SAM template declares one per <c>AddBucket</c>, and the adapter never creates buckets itself.
    /// </summary>
    public static async Task CreateBucketAsync(ServiceProvider services, string bucket)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3")))
        {
            throw new InvalidOperationException("AWS_ENDPOINT_URL_S3 is not set, so fauxqs's S3 is not running for this test. Run tests/emulators/start.sh and source tests/emulators/.env, or run ./test.sh.");
        }

        using (await services.GetRequiredService<AwsConnection>().S3.SendAsync(
            "CreateBucket", HttpMethod.Put, bucket, null, [], [], null, null, null, HttpCompletionOption.ResponseContentRead, default))
        {
        }
    }

    public static async Task<string> CreateQueueAsync(IAmazonSQS sqs, string name, Dictionary<string, string>? attributes = null)
        => (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes ?? [] })).QueueUrl;

    public static async Task<string> QueueArnAsync(IAmazonSQS sqs, string url)
        => (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["QueueArn"] })).Attributes["QueueArn"];

    public static async Task<List<Message>> ReceiveAsync(IAmazonSQS sqs, string url, int waitSeconds, int? visibilityTimeout = null, int max = 10)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = url,
            MaxNumberOfMessages = max,
            WaitTimeSeconds = waitSeconds,
            VisibilityTimeout = visibilityTimeout,
            MessageSystemAttributeNames = ["All"],
        });
        return response.Messages ?? [];
    }

    /// <summary>
    /// Plays Lambda's SQS event source mapping once: receives messages, hands them to the function as an SQS event through the
    /// adapter, and deletes those not listed in <c>batchItemFailures</c>.
    /// </summary>
    /// <returns>The ids received and the ids the function reported as failed.</returns>
    public static async Task<(List<string> Received, List<string> Failed)> PollOnceAsync(
        IAmazonSQS sqs, string url, AwsEventDispatcher dispatcher, string function, int waitSeconds, int? visibilityTimeout = null)
    {
        var messages = await ReceiveAsync(sqs, url, waitSeconds, visibilityTimeout);
        if (messages.Count == 0) return ([], []);
        var sqsEvent = TestEvents.Sqs(messages.Select(m => (m.MessageId, m.Body, int.Parse(m.Attributes?.GetValueOrDefault("ApproximateReceiveCount") ?? "1", System.Globalization.CultureInfo.InvariantCulture))));
        var output = await dispatcher.DispatchAsync(dispatcher.Catalog.Get(function), new LambdaInvocation { RequestId = Guid.NewGuid().ToString(), Payload = Encoding.UTF8.GetBytes(sqsEvent) }, CancellationToken.None);
        var failed = TestEvents.Parse(Encoding.UTF8.GetString(output.Span)).GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!).ToList();
        foreach (var message in messages.Where(m => !failed.Contains(m.MessageId)))
        {
            await sqs.DeleteMessageAsync(url, message.ReceiptHandle);
        }

        return (messages.Select(m => m.MessageId).ToList(), failed);
    }
}
