using Microsoft.Extensions.DependencyInjection;
using Portable.Blobs;
using Portable.Gcp.Deployment;
using Portable.Gcp.Tests.Fixtures;
using static Portable.Gcp.Tests.Fixtures.RecordingGcloud;

namespace Portable.Gcp.Tests;

/// <summary>deploy.sh for buckets and MapBlob functions: shellcheck clean, and run against the recording stand-in for gcloud.</summary>
public sealed class BlobDeployScriptTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("portable-gcp-blob-script-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<string> WriteAsync()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "Files";
        builder.Resources.AddBucket("receipts");
        builder.Functions.MapBlob<Imports>("imports", BlobEvents.Created | BlobEvents.Deleted, name: "ImportOrders");
        var app = builder.Build();
        await File.WriteAllTextAsync(Path.Combine(_folder, "Dockerfile"), ContainerRecipeWriter.Dockerfile("Files", jit: false));
        var script = Path.Combine(_folder, "deploy.sh");
        await File.WriteAllTextAsync(script, DeployScript.Build(app.Catalog, app.Catalog.Secrets));
        return script;
    }

    [Fact]
    public void Guide_NamesTheBlobFunctionsTriggers_AndTheBucketRolesOfAFunctionThatUsesOne()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "Files";
        builder.Resources.AddBucket("receipts");
        builder.Functions.MapBlob<Imports>("imports", BlobEvents.Created | BlobEvents.Deleted, name: "ImportOrders");
        builder.Functions.MapBlob<Imports>("imports", BlobEvents.Deleted, name: "Forget").UsesBucket("receipts");
        var catalog = builder.Build().Catalog;

        var guide = DeployGuide.Build(catalog, [], new Portable.Hosting.DeploymentReport(ContainerRecipeWriter.Cloud));

        Assert.Contains("- ImportOrders: the Eventarc trigger `files-importorders` for `google.cloud.storage.object.v1.finalized` and the Eventarc trigger `files-importorders-deleted` for `google.cloud.storage.object.v1.deleted` on bucket `$PROJECT-imports`", guide, StringComparison.Ordinal);
        Assert.Contains("- Forget: the Eventarc trigger `files-forget-deleted` for `google.cloud.storage.object.v1.deleted` on bucket", guide, StringComparison.Ordinal);
        Assert.Contains("`roles/storage.objectUser` on `$PROJECT-receipts`; `roles/iam.serviceAccountTokenCreator` on its own account", guide, StringComparison.Ordinal);
        Assert.DoesNotContain("which this script does not grant", guide, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_WithBucketsAndABlobFunction_PassesShellcheck()
    {
        var (exit, output) = await Shellcheck.RunAsync(await WriteAsync());
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task EachBucket_IsCreatedWithUniformAccess_AndTheBlobFunction_GetsItsBucketAndAnEventarcTriggerPerChange()
    {
        var run = await RunAsync(await WriteAsync(), present: "");
        Assert.True(run.ExitCode == 0, run.Describe);

        var created = run.Of("storage buckets create");
        Assert.Equal(["gs://demo-project-imports", "gs://demo-project-receipts"], created.Select(c => c[3]).Order());
        Assert.All(created, c => Assert.Contains("--uniform-bucket-level-access", c));
        var grant = Assert.Single(run.Of("storage buckets add-iam-policy-binding"));
        Assert.Equal(("gs://demo-project-imports", "roles/storage.objectUser"), (grant[3], Flag(grant, "--role")));
        Assert.Contains(run.Of("projects add-iam-policy-binding"), c => Flag(c, "--member") == $"serviceAccount:service-{ProjectNumber}@gs-project-accounts.iam.gserviceaccount.com"
            && Flag(c, "--role") == "roles/pubsub.publisher");
        var triggers = run.Of("eventarc triggers create");
        Assert.Equal(2, triggers.Count);
        Assert.Equal(
            ["bucket=demo-project-imports", "bucket=demo-project-imports", "type=google.cloud.storage.object.v1.deleted", "type=google.cloud.storage.object.v1.finalized"],
            triggers.SelectMany(t => Flags(t, "--event-filters")).Order());
    }

    [Fact]
    public async Task AFunctionUsingABucket_MaySignAsItselfOnly_ForSignedUrls_AndTheIamCredentialsApiIsEnabled()
    {
        var run = await RunAsync(await WriteAsync(), present: "");
        Assert.True(run.ExitCode == 0, run.Describe);

        var binding = Assert.Single(run.Of("iam service-accounts add-iam-policy-binding"), c => Flag(c, "--role") == "roles/iam.serviceAccountTokenCreator");
        Assert.StartsWith("files-importorders@", binding[3], StringComparison.Ordinal);
        Assert.Equal("serviceAccount:" + binding[3], Flag(binding, "--member"));
        Assert.DoesNotContain(run.Of("projects add-iam-policy-binding"), c => Flag(c, "--role") == "roles/iam.serviceAccountTokenCreator");
        Assert.Contains("iamcredentials.googleapis.com", Assert.Single(run.Of("services enable")));
    }

    /// <summary>Reads the files it is told about: its constructor's keyed bucket is what it uses (and is granted).</summary>
    public sealed class Imports([FromKeyedServices("imports")] IBlobStore imports) : IBlobHandler
    {
        public Task HandleAsync(BlobEvent blobEvent, FunctionContext context, CancellationToken cancellationToken) => imports.GetPropertiesAsync(blobEvent.Name, cancellationToken);
    }
}
