using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Deployment;
using Portable.Aws.Tests.Fixtures;
using Portable.Blobs;
using YamlDotNet.RepresentationModel;

namespace Portable.Aws.Tests.Blobs;

/// <summary>The SAM template's buckets: private, encrypted, retained; each function granted only the buckets it uses; MapBlob wired to S3 notifications.</summary>
public sealed class SamBucketTests
{
    private static readonly PortableApp App = AwsEmulators.App(b =>
    {
        b.Services.AddSingleton<BlobEventLog>();
        b.Resources.AddBucket("receipts");
        b.Functions.MapBlob<RecordsBlobs>("imports", BlobEvents.Created, name: "ImportOrders").UsesBucket("imports");
        b.Functions.MapBlob<RecordsBlobs>("receipts", BlobEvents.Created | BlobEvents.Deleted, name: "Receipts");
        b.Functions.MapHttp<Echo>("GET /echo");
    });

    private static YamlMappingNode Template => SamYaml.Load(SamTemplate.Build(App.Catalog, "app.zip"));

    [Fact]
    public void EachBucket_IsRetainedPrivateEncryptedAndNamedFromTheStack()
    {
        var resources = Template.Map("Resources");

        foreach (var id in new[] { "ImportsBucket", "ReceiptsBucket" })
        {
            var bucket = resources.Map(id);
            Assert.Equal("AWS::S3::Bucket", bucket.Text("Type"));
            Assert.Equal("Retain", bucket.Text("DeletionPolicy"));
            Assert.Equal("Retain", bucket.Text("UpdateReplacePolicy"));
            var properties = bucket.Map("Properties");
            var block = properties.Map("PublicAccessBlockConfiguration");
            Assert.All(new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" }, k => Assert.Equal("true", block.Text(k)));
            Assert.Contains("SSEAlgorithm", SamTemplate.Build(App.Catalog, "app.zip"), StringComparison.Ordinal);
            Assert.False(properties.Children.ContainsKey(new YamlScalarNode("VersioningConfiguration")));
        }

        Assert.Equal("!Sub ['receipts-${StackUuid}', { StackUuid: !Select [2, !Split ['/', !Ref 'AWS::StackId']] }]", SamTemplate.BucketName("receipts", ""));
        Assert.StartsWith("!Sub ['abcdefghijklmnopqrstuvwxyz-${StackUuid}'", SamTemplate.BucketName("abcdefghijklmnopqrstuvwxyz-and-more", ""), StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_GetObjectAccessAndListing_OnTheBucketsTheyUseOnly()
    {
        var template = Template;

        Assert.Equal(["Statement ImportsBucketObjects ImportsBucketList"], SamAssert.Policies(template, "ImportOrders"));
        Assert.Empty(SamAssert.Policies(template, "Receipts"));
        Assert.Empty(SamAssert.Policies(template, "Echo"));
        var statements = (YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)template.Map("Resources").Map("ImportOrdersFunction").Map("Properties")
            .Children[new YamlScalarNode("Policies")]).Children[0]).Children[new YamlScalarNode("Statement")];
        var yaml = SamTemplate.Build(App.Catalog, "app.zip");
        Assert.Contains("Action: [s3:GetObject, s3:PutObject, s3:DeleteObject]", yaml, StringComparison.Ordinal);
        Assert.Contains("Action: s3:ListBucket", yaml, StringComparison.Ordinal);
        Assert.Equal(2, statements.Children.Count);
    }

    [Fact]
    public void MapBlobFunctions_AreWiredToTheirBucketsNotifications_ForTheirEvents_AndEveryFunctionKnowsThePhysicalNames()
    {
        var template = Template;
        var imports = template.Map("Resources").Map("ImportOrdersFunction").Map("Properties").Map("Events").Map("Blob");
        var receipts = template.Map("Resources").Map("ReceiptsFunction").Map("Properties").Map("Events").Map("Blob");

        Assert.Equal("S3", imports.Text("Type"));
        Assert.Equal("ImportsBucket", imports.Map("Properties").Text("Bucket"));
        Assert.Equal(["s3:ObjectCreated:*"], ((YamlSequenceNode)imports.Map("Properties").Children[new YamlScalarNode("Events")]).Children.Select(e => ((YamlScalarNode)e).Value));
        Assert.Equal(["s3:ObjectCreated:*", "s3:ObjectRemoved:*"], ((YamlSequenceNode)receipts.Map("Properties").Children[new YamlScalarNode("Events")]).Children.Select(e => ((YamlScalarNode)e).Value));
        var variables = template.Map("Globals").Map("Function").Map("Environment").Map("Variables").Keys();
        Assert.Contains("PORTABLE_BUCKET_IMPORTS", variables);
        Assert.Contains("PORTABLE_BUCKET_RECEIPTS", variables);
    }

    [Fact]
    public async Task Template_WithBuckets_PassesCfnLintWithZeroFindings()
    {
        var yaml = SamTemplate.Build(App.Catalog, "app.zip");
        var file = Path.Combine(Path.GetTempPath(), $"portable-sam-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            var (exitCode, output) = await SamLeastPrivilegeTests.RunAsync("cfn-lint", "-c", "I", "--non-zero-exit-code", "informational", "--", file);

            Assert.True(exitCode == 0 && output.Length == 0, $"cfn-lint (exit {exitCode}) found:\n{output}\n{yaml}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
