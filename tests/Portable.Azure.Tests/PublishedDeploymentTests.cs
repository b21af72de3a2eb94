using System.Text.Json;

namespace Portable.Azure.Tests;

/// <summary>
/// Issue #13's Azure acceptance on the real artefact: the folder <c>dotnet publish samples/Orders -c Release -r linux-x64
/// -p:PortableTarget=azure</c> fills (<c>artifacts/published/azure</c>, which test.sh publishes before the suites; published here when missing).
/// </summary>
public sealed class PublishedDeploymentTests
{
    [Fact]
    public async Task PublishedFolder_HasNoSymbolsOrXmlDocs_AndHasTheTemplateFuncIgnoreAndTheEmptyRoutePrefix()
    {
        var folder = Path.GetDirectoryName(await PublishedSample.ExecutableAsync())!;

        Assert.DoesNotContain(Directory.GetFiles(folder, "*", SearchOption.AllDirectories), f => Path.GetExtension(f) is ".dbg" or ".pdb" or ".xml");
        Assert.True(File.Exists(Path.Combine(folder, "main.bicep")), "main.bicep is missing");
        Assert.True(File.Exists(Path.Combine(folder, ".funcignore")), ".funcignore is missing");
        using var host = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "host.json")));
        Assert.Equal("", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public async Task PublishedTemplate_LintsAndBuildsWithoutAnyDiagnostic()
    {
        var folder = Path.GetDirectoryName(await PublishedSample.ExecutableAsync())!;
        var copy = Path.Combine(Path.GetTempPath(), "portable-azure-published-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        try
        {
            var bicep = Path.Combine(copy, "main.bicep");
            File.Copy(Path.Combine(folder, "main.bicep"), bicep);
            await BicepCli.LintAsync(bicep);
            var arm = new ArmTemplate(await BicepCli.BuildAsync(bicep));
            Assert.Single(arm.OfType("Microsoft.EventGrid/topics/eventSubscriptions"));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
