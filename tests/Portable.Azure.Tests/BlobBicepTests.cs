using System.Text.Json;
using Portable.Azure.Deployment;
using Portable.Blobs;
using Portable.Hosting;

namespace Portable.Azure.Tests;

/// <summary>
/// The buckets and blob functions in <c>main.bicep</c>: a container per bucket, the storage account's Event Grid system topic,
/// and one subscription per <c>MapBlob</c> function filtered to its container and kinds of change, with retries and dead-lettering;
/// linted and built by the Bicep CLI with zero diagnostics.
/// </summary>
public sealed class BlobBicepTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "portable-azure-blob-bicep-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private async Task<ArmTemplate> CompileAsync(AzureOptions? options = null)
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.Resources.AddBucket("receipts");
        builder.Functions.MapBlob<Imports>("imports", BlobEvents.Created, name: "ImportOrders");
        builder.Functions.MapBlob<Imports>("imports", BlobEvents.Created | BlobEvents.Deleted, name: "AuditImports");
        await AzureDeploymentWriter.WriteAsync(builder.Build().Catalog, options ?? new AzureOptions(), "Blobs", _folder, CancellationToken.None);
        var bicep = Path.Combine(_folder, "main.bicep");
        await BicepCli.LintAsync(bicep);
        return new ArmTemplate(await BicepCli.BuildAsync(bicep));
    }

    private static JsonElement Subscription(ArmTemplate arm, string function)
        => Assert.Single(arm.OfType("Microsoft.EventGrid/systemTopics/eventSubscriptions"), s => s.GetProperty("name").GetString()!.Contains($"'{function}'", StringComparison.Ordinal)
            || s.GetProperty("name").GetString()!.EndsWith("/" + function, StringComparison.Ordinal));

    [Fact]
    public async Task EveryBucket_GetsAContainerOfItsName()
    {
        var arm = await CompileAsync();

        var containers = arm.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Select(c => c.GetProperty("name").GetString()!).ToList();
        Assert.Contains(containers, n => n.Contains("'receipts'", StringComparison.Ordinal));
        Assert.Contains(containers, n => n.Contains("'imports'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EachBlobFunction_GetsASubscriptionOnTheStorageSystemTopic_FilteredToItsContainerAndChanges_WithDeadLettering()
    {
        var arm = await CompileAsync();

        var topic = Assert.Single(arm.OfType("Microsoft.EventGrid/systemTopics"));
        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.GetProperty("properties").GetProperty("topicType").GetString());
        var import = Subscription(arm, "ImportOrders").GetProperty("properties");
        Assert.Equal("/blobServices/default/containers/imports/", import.GetProperty("filter").GetProperty("subjectBeginsWith").GetString());
        Assert.Equal(["Microsoft.Storage.BlobCreated"], import.GetProperty("filter").GetProperty("includedEventTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("/functions/ImportOrders", import.GetProperty("destination").GetProperty("properties").GetProperty("resourceId").GetString(), StringComparison.Ordinal);
        Assert.True(import.TryGetProperty("deadLetterWithResourceIdentity", out _));
        Assert.True(import.GetProperty("retryPolicy").GetProperty("maxDeliveryAttempts").GetInt32() > 1);
        var audit = Subscription(arm, "AuditImports").GetProperty("properties");
        Assert.Equal(["Microsoft.Storage.BlobCreated", "Microsoft.Storage.BlobDeleted"], audit.GetProperty("filter").GetProperty("includedEventTypes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ABlobFunctionOnAClassicBlobTrigger_GetsNoSubscription()
    {
        var options = new AzureOptions();
        options.BlobTriggers["ImportOrders"] = "imports/{name}";
        options.BlobTriggers["AuditImports"] = "imports/{name}";

        var arm = await CompileAsync(options);

        Assert.Empty(arm.OfType("Microsoft.EventGrid/systemTopics/eventSubscriptions"));
        Assert.Empty(arm.OfType("Microsoft.EventGrid/systemTopics"));
    }

    public sealed class Imports : IBlobHandler
    {
        public Task HandleAsync(BlobEvent blobEvent, FunctionContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
