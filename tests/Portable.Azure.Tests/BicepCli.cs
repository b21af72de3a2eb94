using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Portable.Azure.Tests;

/// <summary>
/// The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (the test project references it, nothing is copied):
/// found where restore put it (the package path recorded at build, else <c>NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>), made
/// executable when the package lost the bit. It runs offline with the Azure resource types built in.
/// </summary>
internal static class BicepCli
{
    public const string Version = "0.49.2";

    private static readonly Lazy<string> Executable = new(Find);

    /// <summary>Compiles a Bicep file to ARM JSON; every diagnostic (warning or error) fails, with the whole output.</summary>
    public static async Task<JsonElement> BuildAsync(string bicepFile)
    {
        var json = Path.ChangeExtension(bicepFile, ".json");
        var (code, output) = await RunAsync("build", bicepFile, "--outfile", json);
        AssertClean("bicep build", code, output);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        return document.RootElement.Clone();
    }

    /// <summary>Lints a Bicep file with the default rules; every diagnostic fails, with the whole output.</summary>
    public static async Task LintAsync(string bicepFile)
    {
        var (code, output) = await RunAsync("lint", bicepFile);
        AssertClean("bicep lint", code, output);
    }

    private static void AssertClean(string command, int code, string output)
    {
        // Bicep writes diagnostics to stderr as "file(line,col) : Warning|Error rule: text" and exits 0 for warnings.
        var diagnostics = output.Split('\n').Where(l => l.Contains(" : Warning ", StringComparison.Ordinal) || l.Contains(" : Error ", StringComparison.Ordinal) || l.Contains(" : Info ", StringComparison.Ordinal)).ToList();
        Assert.True(code == 0 && diagnostics.Count == 0, $"{command} exited {code} with {diagnostics.Count} diagnostic(s):\n{output}");
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(Executable.Value) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["BICEP_TRACING_ENABLED"] = "false";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Find()
    {
        var recorded = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "BicepPackage")?.Value;
        var roots = new[]
        {
            recorded,
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? Path.Combine(packages, "azure.bicep.commandline.linux-x64", Version) : null,
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", "azure.bicep.commandline.linux-x64", Version),
        };
        var executable = roots.Where(r => !string.IsNullOrEmpty(r)).Select(r => Path.Combine(r!, "tools", "bicep")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"The Bicep CLI was not found in {string.Join(", ", roots.Where(r => r is not null))}. Restore tests/Portable.Azure.Tests (it references Azure.Bicep.CommandLine.linux-x64 {Version}).");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(executable) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(executable, File.GetUnixFileMode(executable) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return executable;
    }
}
