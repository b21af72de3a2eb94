using System.Diagnostics;
using System.Text.Json;

namespace Portable.Dashboard.Tests;

/// <summary>
/// The dashboard lives in Portable.Local alone, and a cloud build of the sample does not reference Portable.Local, so no cloud
/// publish carries it (bench/README.md records a publish's file list too).
/// </summary>
public sealed class CloudBuildTests
{
    [Theory]
    [InlineData("aws", false)]
    [InlineData("gcp", false)]
    [InlineData("azure", false)]
    [InlineData("local", true)]
    public async Task OrdersSample_ReferencesPortableLocal_OnlyWhenBuiltForLocal(string target, bool expected)
    {
        var references = await ProjectReferencesAsync(target);

        Assert.Contains(references, r => r.EndsWith("Orders.Functions.csproj", StringComparison.Ordinal));
        Assert.Equal(expected, references.Any(r => r.EndsWith("Portable.Local.csproj", StringComparison.Ordinal)));
    }

    [Fact]
    public void DashboardAssets_AreEmbeddedByPortableLocalOnly()
    {
        var embedding = Directory.GetFiles(Path.Combine(RepoRoot.Path, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => File.ReadAllText(p).Contains("Dashboard/Assets", StringComparison.Ordinal))
            .Select(Path.GetFileName);

        Assert.Equal(["Portable.Local.csproj"], embedding);
        Assert.True(File.Exists(Path.Combine(RepoRoot.Path, "src", "Portable.Local", "Dashboard", "Assets", "index.html")));
    }

    private static async Task<List<string>> ProjectReferencesAsync(string target)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot.Path };
        foreach (var arg in new[] { "msbuild", "samples/Orders/Orders.csproj", "-getItem:ProjectReference", $"-p:PortableTarget={target}", "-nologo" }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet msbuild failed ({process.ExitCode}): {await error}{await output}");
        using var document = JsonDocument.Parse(await output);
        return document.RootElement.GetProperty("Items").GetProperty("ProjectReference").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!.Replace('\\', '/'))
            .ToList();
    }
}
