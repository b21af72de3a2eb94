using Orders;
using Portable.Gcp.Deployment;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>The container recipe and the gcloud commands written after a publish.</summary>
public sealed class DeploymentTests
{
    [Fact]
    public void Dockerfile_RunsTheNativeBinary_OrTheDllForAJitPublish()
    {
        var native = ContainerRecipeWriter.Dockerfile("Orders", jit: false);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/runtime-deps:10.0", native, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"./Orders\"]", native, StringComparison.Ordinal);
        Assert.Contains("DOTNET_RUNNING_IN_CONTAINER=true", native, StringComparison.Ordinal);

        var jit = ContainerRecipeWriter.Dockerfile("Orders", jit: true);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", jit, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"Orders.dll\"]", jit, StringComparison.Ordinal);
    }

    [Fact]
    public void DeployGuide_ListsEveryFunctionsServiceAndTrigger()
    {
        var builder = PortableApp.CreateBuilder([]);
        OrdersApp.Configure(builder);
        var catalog = builder.Build().Catalog;
        var guide = DeployGuide.Build(catalog, [], new Portable.Hosting.DeploymentReport(ContainerRecipeWriter.Cloud));

        foreach (var function in catalog.Functions)
            Assert.Contains($"| {function.Name} | `{function.Trigger}` | `orders-{function.Name.ToLowerInvariant()}` |", guide, StringComparison.Ordinal);
        Assert.Contains("The Pub/Sub topics `order-placed`, `order-confirmations`", guide, StringComparison.Ordinal);
        Assert.Contains("the push subscription `orders-sendconfirmation` on `order-placed`", guide, StringComparison.Ordinal);
        Assert.Contains("the Cloud Scheduler job `orders-expireunconfirmed`, `*/5 * * * *` UTC", guide, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteDeployment_NotesForEachQueueThatDelayedSendsAreNotSupportedOnPubSub()
    {
        var builder = PortableApp.CreateBuilder([]);
        OrdersApp.Configure(builder);
        var app = builder.Build();
        var folder = Directory.CreateTempSubdirectory("portable-gcp-notes-").FullName;
        var printed = await ConsoleCapture.RunAsync(() => GcpPlatform.Instance.WriteDeploymentAsync(app, folder, default));

        var guide = await File.ReadAllTextAsync(Path.Combine(folder, "gcp-deploy.md"));
        const string note = "order-placed: delayed sends (SendOptions.Delay) are not supported on Pub/Sub";
        Assert.Contains("## Notes", guide, StringComparison.Ordinal);
        Assert.Contains("- " + note, guide, StringComparison.Ordinal);
        Assert.Contains("Cloud Scheduler or Cloud Tasks", guide, StringComparison.Ordinal);
        Assert.Contains("order-placed: delayed sends (SendOptions.Delay) are not supported on Pub/Sub", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", printed, StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task WriteDeployment_WritesTheRecipeIntoTheFolder()
    {
        var builder = PortableApp.CreateBuilder([]);
        OrdersApp.Configure(builder);
        var folder = Directory.CreateTempSubdirectory("portable-gcp-deploy-").FullName;
        await GcpPlatform.Instance.WriteDeploymentAsync(builder.Build(), folder, default);

        Assert.True(File.Exists(Path.Combine(folder, "Dockerfile")));
        Assert.True(File.Exists(Path.Combine(folder, ".dockerignore")));
        Assert.Contains("bash deploy.sh", await File.ReadAllTextAsync(Path.Combine(folder, "gcp-deploy.md")), StringComparison.Ordinal);
        Assert.Contains("gcloud run deploy orders-placeorder", await File.ReadAllTextAsync(Path.Combine(folder, "deploy.sh")), StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }
}
