using Orders;
using Portable.Gcp.Deployment;

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
    public void DeployGuide_DeploysEveryFunctionWithItsTrigger()
    {
        var builder = PortableApp.CreateBuilder([]);
        OrdersApp.Configure(builder);
        var guide = ContainerRecipeWriter.DeployGuide(builder.Build().Catalog);

        foreach (var function in new[] { "PlaceOrder", "GetOrder", "Hello", "SendConfirmation", "ExpireUnconfirmed", "AuditConfirmation" })
            Assert.Contains($"FUNCTION_TARGET={function},", guide, StringComparison.Ordinal);
        Assert.Contains("gcloud pubsub topics create order-placed order-confirmations", guide, StringComparison.Ordinal);
        Assert.Contains("--push-endpoint \"$URL/projects/$PROJECT/topics/order-placed\"", guide, StringComparison.Ordinal);
        Assert.Contains("--schedule '*/5 * * * *'", guide, StringComparison.Ordinal);
        Assert.Contains("orders-hello --image $IMAGE", guide, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteDeployment_NotesForEachQueueThatDelayedSendsAreNotSupportedOnPubSub()
    {
        var builder = PortableApp.CreateBuilder([]);
        OrdersApp.Configure(builder);
        var app = builder.Build();
        var folder = Directory.CreateTempSubdirectory("portable-gcp-notes-").FullName;
        var printed = new StringWriter();
        var console = Console.Out;
        Console.SetOut(printed);
        try
        {
            await GcpPlatform.Instance.WriteDeploymentAsync(app, folder, default);
        }
        finally
        {
            Console.SetOut(console);
        }

        var guide = await File.ReadAllTextAsync(Path.Combine(folder, "gcp-deploy.md"));
        const string note = "queue 'order-placed': delayed sends (SendOptions.Delay) are not supported on Pub/Sub";
        Assert.Contains("## Notes", guide, StringComparison.Ordinal);
        Assert.Contains("- " + note, guide, StringComparison.Ordinal);
        Assert.Contains("Cloud Scheduler or Cloud Tasks", guide, StringComparison.Ordinal);
        Assert.Contains("Portable.Gcp note: " + note, printed.ToString(), StringComparison.Ordinal);
        Assert.Equal(app.Catalog.Queues.Count * 2, ContainerRecipeWriter.Notes(app.Catalog).Count);
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
        Assert.Contains("gcloud run deploy", await File.ReadAllTextAsync(Path.Combine(folder, "gcp-deploy.md")), StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }
}
