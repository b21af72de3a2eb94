using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using YamlDotNet.RepresentationModel;

namespace Portable.Fuzz.Tests.Fixtures;

/// <summary>
/// What the published SAM template declares, created on the emulators (DynamoDB Local, fauxqs) under fresh names: each
/// <c>PORTABLE_TABLE_*</c> table with the template's key schema, each <c>PORTABLE_QUEUE_*</c> queue and each
/// <c>PORTABLE_BUCKET_*</c> S3 bucket. Reading the schema from the template keeps this right when the adapter's table shape changes.
/// </summary>
internal static class AwsResources
{
    /// <summary>Creates the resources; returns the environment the bootstrap needs (the names, the endpoints, dummy credentials).</summary>
    public static async Task<Dictionary<string, string>> CreateAsync(string templatePath)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_SNS", "AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION" })
        {
            environment[name] = Environment.GetEnvironmentVariable(name)
                ?? throw new InvalidOperationException($"{name} is not set: run tests/emulators/start.sh and source tests/emulators/.env, or ./test.sh.");
        }

        var yaml = new YamlStream();
        using (var reader = new StreamReader(templatePath)) yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var resources = (YamlMappingNode)root.Children[new YamlScalarNode("Resources")];
        var variables = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)root.Children[new YamlScalarNode("Globals")])
            .Children[new YamlScalarNode("Function")]).Children[new YamlScalarNode("Environment")]).Children[new YamlScalarNode("Variables")];

        using var dynamo = new AmazonDynamoDBClient();
        using var sqs = new AmazonSQSClient();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        foreach (var (key, value) in variables.Children)
        {
            var variable = ((YamlScalarNode)key).Value!;
            // A table's or a queue's value is a !Ref of its logical id; a bucket's is a !Sub (a sequence) of its physical name.
            var logical = (value as YamlScalarNode)?.Value ?? "";
            var name = $"fuzz-{logical.ToLowerInvariant()}-{suffix}";
            if (variable.StartsWith("PORTABLE_TABLE_", StringComparison.Ordinal))
            {
                var properties = (YamlMappingNode)((YamlMappingNode)resources.Children[new YamlScalarNode(logical)]).Children[new YamlScalarNode("Properties")];
                await dynamo.CreateTableAsync(new CreateTableRequest
                {
                    TableName = name,
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    AttributeDefinitions = Items(properties, "AttributeDefinitions").Select(a => new AttributeDefinition(a["AttributeName"], new ScalarAttributeType(a["AttributeType"]))).ToList(),
                    KeySchema = Items(properties, "KeySchema").Select(k => new KeySchemaElement(k["AttributeName"], new KeyType(k["KeyType"]))).ToList(),
                });
                environment[variable] = name;
            }
            else if (variable.StartsWith("PORTABLE_QUEUE_", StringComparison.Ordinal))
            {
                environment[variable] = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name })).QueueUrl;
            }
            else if (variable.StartsWith("PORTABLE_BUCKET_", StringComparison.Ordinal))
            {
                // The value is a !Sub of the stack's name; the bucket gets a fresh name of its own (S3's rules: lowercase, no '_').
                var bucket = $"fuzz-{variable["PORTABLE_BUCKET_".Length..].ToLowerInvariant().Replace('_', '-')}-{suffix}";
                using (var created = await S3.PutAsync(new Uri(new Uri(environment["AWS_ENDPOINT_URL_S3"]), bucket), null))
                {
                    created.EnsureSuccessStatusCode();
                }

                environment[variable] = bucket;
            }
        }

        return environment;
    }

    /// <summary>Writes an object to a bucket <see cref="CreateAsync"/> made (path-style, unsigned: fauxqs does not check signatures).</summary>
    public static async Task PutObjectAsync(IReadOnlyDictionary<string, string> environment, string bucket, string key, byte[] content, string contentType)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var put = await S3.PutAsync(new Uri(new Uri(environment["AWS_ENDPOINT_URL_S3"]), $"{bucket}/{Uri.EscapeDataString(key).Replace("%2F", "/", StringComparison.Ordinal)}"), body);
        put.EnsureSuccessStatusCode();
    }

    // fauxqs's S3 takes unsigned requests, so the fixture needs no S3 SDK (none is referenced here) to make a bucket or an object.
    private static readonly HttpClient S3 = new();

    private static IEnumerable<Dictionary<string, string>> Items(YamlMappingNode properties, string name)
        => ((YamlSequenceNode)properties.Children[new YamlScalarNode(name)]).Children.Cast<YamlMappingNode>()
            .Select(m => m.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!, StringComparer.Ordinal));
}
