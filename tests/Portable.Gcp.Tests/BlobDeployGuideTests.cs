using Portable.Blobs;
using Portable.Gcp.Deployment;

namespace Portable.Gcp.Tests;

/// <summary>
/// gcp-deploy.md for a <c>MapBlob</c> function: the guide names its Eventarc trigger(s) on the bucket, as deploy.sh creates them
/// (it threw a NullReferenceException on the trigger's missing event type, so publishing the Orders sample for GCP failed).
/// </summary>
public sealed class BlobDeployGuideTests
{
    [Fact]
    public void Guide_OfABlobFunction_NamesItsEventarcTriggerPerChange_OnItsBucket()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "Files";
        builder.Functions.MapBlob<BlobDeployScriptTests.Imports>("imports", BlobEvents.Created | BlobEvents.Deleted, name: "ImportOrders");
        var catalog = builder.Build().Catalog;

        var guide = DeployGuide.Build(catalog, [], new Portable.Hosting.DeploymentReport(ContainerRecipeWriter.Cloud));

        var line = Assert.Single(guide.Split('\n'), l => l.StartsWith("- ImportOrders:", StringComparison.Ordinal));
        Assert.Contains("`google.cloud.storage.object.v1.finalized`", line, StringComparison.Ordinal);
        Assert.Contains("`google.cloud.storage.object.v1.deleted`", line, StringComparison.Ordinal);
        Assert.Contains("PROJECT-imports", line, StringComparison.Ordinal); // the bucket as deploy.sh names it ($PROJECT-imports)
    }

    [Fact]
    public void Guide_OfTheOrdersSample_IsWritten_WithImportOrdersOnlyOnCreatedObjects()
    {
        var builder = PortableApp.CreateBuilder([]);
        global::Orders.OrdersApp.Configure(builder);

        var guide = DeployGuide.Build(builder.Build().Catalog, [], new Portable.Hosting.DeploymentReport(ContainerRecipeWriter.Cloud));

        var line = Assert.Single(guide.Split('\n'), l => l.StartsWith("- ImportOrders:", StringComparison.Ordinal));
        Assert.Contains("`google.cloud.storage.object.v1.finalized`", line, StringComparison.Ordinal);
        Assert.DoesNotContain("deleted", line, StringComparison.Ordinal);
    }
}
