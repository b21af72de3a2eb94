using System.Text.RegularExpressions;

namespace Portable.Templates.Tests;

[CollectionDefinition("template", DisableParallelization = true)]
public sealed class TemplateCollection : ICollectionFixture<TemplateFixture>;

/// <summary>What a new user does with the template: create, build with zero warnings, test, publish.</summary>
[Collection("template")]
public sealed class TemplateTests(TemplateFixture fixture)
{
    [Theory]
    [InlineData("http", "RegisterCustomer.cs")]
    [InlineData("queue", "ProcessInvoice.cs")]
    [InlineData("schedule", "NightlyReport.cs")]
    public async Task NewProject_OfEachTrigger_OutsideAnyRepository_BuildsWithoutWarnings_AndDotnetTestAtItsRootRunsItsTests(string trigger, string functionFile)
    {
        var name = "Billing" + char.ToUpperInvariant(trigger[0]) + trigger[1..];
        var project = await fixture.CreateAsync(name, "--trigger", trigger);
        for (var dir = new DirectoryInfo(fixture.Outside); dir is not null; dir = dir.Parent)
        {
            Assert.False(File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")), $"{dir.FullName} has a Directory.Packages.props: the project is not outside a repository.");
        }

        Assert.True(File.Exists(Path.Combine(project, name, functionFile)), $"{functionFile} was not generated for --trigger {trigger}");
        Assert.Single(Directory.GetFiles(project, "*.cs", SearchOption.AllDirectories), f => Path.GetFileName(f) is "RegisterCustomer.cs" or "ProcessInvoice.cs" or "NightlyReport.cs");

        await TemplateLocationTests.BuildsAndTestsAtTheRootAsync(project, name);
    }

    [Theory]
    [InlineData("aws", new[] { "bootstrap", "BillingAws.zip", "template.yaml" })]
    [InlineData("gcp", new[] { "BillingGcp", "Dockerfile", "gcp-deploy.md" })]
    [InlineData("azure", new[] { "BillingAzure", "host.json", "RegisterCustomer/function.json", "local.settings.json" })]
    public async Task NewProject_PublishesEachCloudsArtefact_AsNativeAotWithoutWarnings(string target, string[] artefacts)
    {
        var (name, _, output, publish) = await fixture.PublishAsync(target);

        Assert.DoesNotMatch(new Regex(@"\bIL[23]\d{3}\b"), publish);
        Assert.False(File.Exists(Path.Combine(output, name + ".dll")), "The cloud publish is not Native AOT.");
        foreach (var artefact in artefacts)
        {
            Assert.True(File.Exists(Path.Combine(output, artefact)), $"{target} publish has no {artefact}");
        }

        Assert.DoesNotContain(Directory.GetFiles(output), f => Path.GetFileName(f).StartsWith("Portable.Local", StringComparison.Ordinal));
    }
}
