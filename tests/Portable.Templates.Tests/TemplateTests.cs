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
    public async Task NewProject_OfEachTrigger_BuildsWithoutWarnings_AndItsTestsPass(string trigger, string functionFile)
    {
        var name = "Billing" + char.ToUpperInvariant(trigger[0]) + trigger[1..];
        var project = await fixture.CreateAsync(name, "--trigger", trigger);

        Assert.True(File.Exists(Path.Combine(project, functionFile)), $"{functionFile} was not generated for --trigger {trigger}");
        Assert.Single(Directory.GetFiles(project, "*.cs"), f => Path.GetFileName(f) is "RegisterCustomer.cs" or "ProcessInvoice.cs" or "NightlyReport.cs");

        var build = await TemplateFixture.RunAsync(project, "dotnet", "build", "-nologo");
        Assert.Matches(new Regex(@"\b0 Warning\(s\)"), build);

        var test = await TemplateFixture.RunAsync(project, "dotnet", "test", $"{name}.Tests", "-nologo");
        Assert.Matches(new Regex(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+[1-9]"), test);
    }

    [Fact]
    public async Task NewProject_PublishesNativeAot_WithoutTrimOrAotWarnings()
    {
        var project = await fixture.CreateAsync("BillingAot");
        var output = Path.Combine(project, "out");
        var publish = await TemplateFixture.RunAsync(project, "dotnet", "publish", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "-nologo");

        Assert.DoesNotMatch(new Regex(@"\bIL[23]\d{3}\b"), publish);
        Assert.True(File.Exists(Path.Combine(output, "BillingAot")), "no native executable");
        var describe = await TemplateFixture.RunAsync(project, Path.Combine(output, "BillingAot"), "--describe");
        Assert.Contains("\"name\": \"RegisterCustomer\"", describe, StringComparison.Ordinal);
    }
}
