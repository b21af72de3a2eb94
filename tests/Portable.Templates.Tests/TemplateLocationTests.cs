using System.Text.RegularExpressions;

namespace Portable.Templates.Tests;

/// <summary>
/// Where a new user runs <c>dotnet new portable-fn</c>: inside the Portable clone right after <c>./pack.sh</c> (a folder with
/// central package management, an .editorconfig and a global.json above it), or anywhere else.
/// </summary>
[Collection("template")]
public sealed class TemplateLocationTests(TemplateFixture fixture)
{
    [Fact]
    public async Task NewProject_InsideTheClone_BuildsWithoutWarnings_AndDotnetTestAtItsRootRunsItsTests()
    {
        var project = await fixture.CreateInCloneAsync("Billing");
        Assert.True(File.Exists(Path.Combine(fixture.Clone, "Directory.Packages.props")), "The stand-in clone has no Directory.Packages.props above the project.");
        Assert.Contains("<ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>", await File.ReadAllTextAsync(Path.Combine(fixture.Clone, "Directory.Packages.props")));

        await BuildsAndTestsAtTheRootAsync(project, "Billing");
    }

    internal static async Task BuildsAndTestsAtTheRootAsync(string project, string name)
    {
        Assert.True(File.Exists(Path.Combine(project, name + ".slnx")), "The project's root has no solution for dotnet test to find.");

        var build = await TemplateFixture.RunAsync(project, "dotnet", "build", "-nologo");
        Assert.Matches(new Regex(@"\b0 Warning\(s\)"), build);
        Assert.Contains($"{name} -> ", build, StringComparison.Ordinal);

        var test = await TemplateFixture.RunAsync(project, "dotnet", "test", "--no-build", "-nologo");
        Assert.Matches(new Regex(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+[1-9]\d*, Skipped:\s+0, Total:\s+\d+, Duration: .* - " + name + @"\.Tests\.dll"), test);
    }
}
