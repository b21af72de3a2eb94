using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Portable.AspNetCore.Functions;
using Portable.AspNetCore.Tests.Fixtures;
using Portable.Aws;
using Portable.Azure;
using Portable.Gcp;

namespace Portable.AspNetCore.Tests;

/// <summary>
/// The deployment files of an ASP.NET Core app with a Portable function, from a run with <c>--write-deployment</c>: one HTTP
/// entry for the whole app (the catch-all <c>web</c> function) plus one per Portable function, written by each adapter's writer.
/// </summary>
public sealed class DeploymentFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("asp-deploy-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PortableApp Describe(bool anonymous = false, string[]? args = null)
    {
        var app = FunctionsApp.Build(null, args: ["--write-deployment", "unused", .. args ?? []], anonymous: anonymous);
        Assert.IsType<DeploymentServer>(app.Services.GetRequiredService<IServer>()); // the run writes files and stops; it serves nothing
        return app.Services.GetRequiredService<PortableApp>();
    }

    [Fact]
    public async Task Sam_HasOneCatchAllHttpFunctionForTheApp_WithRootAndProxyRoutesAndAnIamFunctionUrl_PlusTheQueueFunction()
    {
        await AwsPlatform.Instance.WriteDeploymentAsync(Describe(), _folder, default);
        var template = await File.ReadAllTextAsync(Path.Combine(_folder, "template.yaml"));

        Assert.Contains("Handler: 'web'", template, StringComparison.Ordinal);
        Assert.Contains("Path: '/{path+}'", template, StringComparison.Ordinal);
        Assert.Contains("Path: '/'", template, StringComparison.Ordinal);
        Assert.Contains("Method: ANY", template, StringComparison.Ordinal);
        Assert.Contains("AuthType: AWS_IAM", template, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorizer: NONE", template, StringComparison.Ordinal);
        Assert.Contains("Handler: 'record-greeting'", template, StringComparison.Ordinal);
        Assert.Contains("Type: SQS", template, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sam_WhenTheAppStreams_SetsTheFunctionUrlsInvokeMode_AndCarriesTheSetting_ElseNeither()
    {
        await AwsPlatform.Instance.WriteDeploymentAsync(Describe(args: ["--Portable:Lambda:ResponseStreaming=true"]), _folder, default);
        var streaming = await File.ReadAllTextAsync(Path.Combine(_folder, "template.yaml"));
        await AwsPlatform.Instance.WriteDeploymentAsync(Describe(), _folder, default);
        var buffered = await File.ReadAllTextAsync(Path.Combine(_folder, "template.yaml"));

        Assert.Contains("InvokeMode: RESPONSE_STREAM", streaming, StringComparison.Ordinal);
        Assert.Contains("Portable__Lambda__ResponseStreaming: 'true'", streaming, StringComparison.Ordinal);
        Assert.DoesNotContain("InvokeMode", buffered, StringComparison.Ordinal);
        Assert.DoesNotContain("ResponseStreaming", buffered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sam_ForAnAnonymousApp_OpensTheRoutesAndTheFunctionUrl()
    {
        await AwsPlatform.Instance.WriteDeploymentAsync(Describe(anonymous: true), _folder, default);
        var template = await File.ReadAllTextAsync(Path.Combine(_folder, "template.yaml"));

        Assert.Contains("AuthType: NONE", template, StringComparison.Ordinal);
        Assert.Equal(2, template.Split("Authorizer: NONE").Length - 1); // both the /{path+} and the / route
    }

    [Fact]
    public async Task Azure_HasACatchAllForwardedHttpFunction_PlusTheQueueFunction()
    {
        await AzurePlatform.Instance.WriteDeploymentAsync(Describe(), _folder, default);

        var web = await File.ReadAllTextAsync(Path.Combine(_folder, "web", "function.json"));
        var host = await File.ReadAllTextAsync(Path.Combine(_folder, "host.json"));
        var queue = await File.ReadAllTextAsync(Path.Combine(_folder, FunctionsApp.Function, "function.json"));
        Assert.Contains("\"route\":\"{*path}\"", web.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("\"methods\"", web, StringComparison.Ordinal);
        Assert.Contains("\"enableForwardingHttpRequest\":true", host.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("\"routePrefix\":\"\"", host.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("queueTrigger", queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gcp_DeploysOneServiceForTheApp_AndOneServicePerFunction_FromTheSameImage()
    {
        await GcpPlatform.Instance.WriteDeploymentAsync(Describe(), _folder, default);
        var script = await File.ReadAllTextAsync(Path.Combine(_folder, "deploy.sh"));

        Assert.Contains("FUNCTION_TARGET=web,", script, StringComparison.Ordinal);
        Assert.Contains("FUNCTION_TARGET=record-greeting,", script, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, "Dockerfile")));
    }

    [Fact]
    public void AtRunTime_TheAppsHttpFunctionIsNotInTheCatalog_SoHandlerWebServesTheAppsHttp()
    {
        var app = FunctionsApp.Build(Local.LocalPlatform.Instance);

        Assert.Null(app.Services.GetRequiredService<PortableApp>().Catalog.Find(WebAppFunction.Name));
    }
}
