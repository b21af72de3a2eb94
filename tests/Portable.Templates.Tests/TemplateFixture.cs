using System.Diagnostics;
using System.Globalization;

namespace Portable.Templates.Tests;

/// <summary>
/// Packs the Portable packages into a new folder feed with a version of their own (so no stale NuGet cache can answer),
/// and installs the template from the clone into a private template hive (the user's templates are left alone).
/// </summary>
public sealed class TemplateFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "portable-template-" + Guid.NewGuid().ToString("N"));

    public string Feed => Path.Combine(Root, "feed");

    public string Hive => Path.Combine(Root, "hive");

    public string Version { get; } = "0.1.0-ci." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Configuration { get; } = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        foreach (var project in Directory.GetFiles(Path.Combine(RepoRoot, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            await RunAsync(RepoRoot, "dotnet", "pack", project, "--no-build", "-c", Configuration, "-o", Feed, $"-p:Version={Version}", "-nologo");
        }

        await RunAsync(RepoRoot, "dotnet", "new", "install", Path.Combine(RepoRoot, "templates", "content", "portable-fn"), "--debug:custom-hive", Hive);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>Creates a project from the template in a new folder and returns its path.</summary>
    public async Task<string> CreateAsync(string name, params string[] options)
    {
        var folder = Path.Combine(Root, "projects");
        Directory.CreateDirectory(folder);
        await RunAsync(folder, "dotnet", ["new", "portable-fn", "-n", name, "--feed", Feed, "--portable-version", Version, "--debug:custom-hive", Hive, .. options]);
        return Path.Combine(folder, name);
    }

    /// <summary>Runs a command, failing with its whole output when it does not exit 0.</summary>
    public static async Task<string> RunAsync(string workingDirectory, string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        if (process.ExitCode != 0) throw new InvalidOperationException($"'{fileName} {string.Join(' ', arguments)}' exited {process.ExitCode}:\n{output}");
        return output;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portable.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Portable.sln not found above " + AppContext.BaseDirectory);
    }
}
