using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Data;
using Portable.Aws.Events;
using Portable.Aws.Runtime;
using Portable.Aws.Tests.Fixtures;
using Portable.Blobs;
using Portable.Hosting;

namespace Portable.Aws.Tests.Blobs;

/// <summary>
/// S3 takes keys no portable store can name (control characters, <c>..</c> segments): a notification of such an object is the
/// sender's error, refused as an invalid event before the function runs (the fuzz suite found ImportOrders failing on one with an
/// unhandled ArgumentException from its store); through SQS it is that record's batch item failure.
/// </summary>
public sealed class S3BlobEventNameTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly AwsEventDispatcher _dispatcher;
    private readonly PortableApp _app;

    public S3BlobEventNameTests()
    {
        _app = AwsEmulators.App(b =>
        {
            b.Services.AddSingleton<BlobEventLog>();
            b.Functions.MapBlob<RecordsBlobs>("imports", BlobEvents.Created, name: "Imports");
        });
        var environment = new Dictionary<string, string> { ["PORTABLE_BUCKET_IMPORTS"] = "sourcebucket" };
        _services = AwsHost.BuildServices(_app, TextWriter.Null, name => environment.GetValueOrDefault(name));
        var executor = new FunctionExecutor("aws", _services, _app.TimeProvider);
        _dispatcher = new AwsEventDispatcher(_app.Catalog, executor, new HttpDispatcher(_app.Catalog, executor), null, new AwsResourceNames(name => environment.GetValueOrDefault(name)));
    }

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData("%00", "control character")]
    [InlineData("a/../b.csv", "'..'")]
    [InlineData("folder/", "end with '/'")]
    public async Task S3Notification_OfAKeyThatIsNoPortableName_IsAnInvalidEvent_AndTheFunctionIsNotCalled(string encodedKey, string reason)
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => InvokeAsync(Notification(encodedKey)));

        Assert.Contains("object name", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Empty(_services.GetRequiredService<BlobEventLog>().Events);
    }

    [Fact]
    public async Task S3NotificationThroughSqs_OfAKeyThatIsNoPortableName_IsThatRecordsBatchItemFailure()
    {
        var output = await InvokeAsync(TestEvents.Sqs([("m-1", Notification("bad%00name.csv"), 1), ("m-2", Notification("good.csv"), 1)]));

        Assert.Equal("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-1\"}]}", output);
        Assert.Equal("good.csv", Assert.Single(_services.GetRequiredService<BlobEventLog>().Events).Name);
    }

    private async Task<string> InvokeAsync(string json)
    {
        var output = await _dispatcher.DispatchAsync(_app.Catalog.Get("Imports"), new LambdaInvocation { RequestId = "req-1", Payload = Encoding.UTF8.GetBytes(json) }, default);
        return Encoding.UTF8.GetString(output.Span);
    }

    /// <summary>The published s3-event.json with another key, URL-encoded as S3 sends it.</summary>
    private static string Notification(string encodedKey)
    {
        var root = JsonNode.Parse(Vectors.Read("aws-lambda-go/s3-event.json"))!;
        root["Records"]![0]!["s3"]!["object"]!["key"] = encodedKey;
        return root.ToJsonString();
    }
}
