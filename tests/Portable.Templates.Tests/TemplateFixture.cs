using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Portable.Templates.Tests;

/// <summary>
/// Packs the Portable packages into a new folder feed with a version of their own (so no stale NuGet cache can answer),
/// and installs the template from the clone into a private template hive (the user's templates are left alone).
/// </summary>
public sealed class TemplateFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Publication>>> _publications = new(StringComparer.Ordinal);

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

    /// <summary>The folder projects are created in by <see cref="CreateAsync"/>: no Directory.*.props or .editorconfig above it.</summary>
    public string Outside => Path.Combine(Root, "projects");

    /// <summary>
    /// A stand-in for a Portable clone: a folder holding copies of the clone's own top-level files (Directory.Build.props,
    /// Directory.Packages.props with central package management, .editorconfig, global.json, ...), which MSBuild, NuGet and
    /// the analyzers find from any folder below it.
    /// </summary>
    public string Clone => Path.Combine(Root, "clone");

    /// <summary>Creates a project from the template in a new folder <see cref="Outside"/> any repository and returns its path.</summary>
    public Task<string> CreateAsync(string name, params string[] options) => CreateInAsync(Outside, name, options);

    /// <summary>Creates a project from the template inside <see cref="Clone"/>, as a user does after ./pack.sh, and returns its path.</summary>
    public Task<string> CreateInCloneAsync(string name, params string[] options)
    {
        Directory.CreateDirectory(Clone);
        foreach (var file in Directory.GetFiles(RepoRoot))
        {
            File.Copy(file, Path.Combine(Clone, Path.GetFileName(file)), overwrite: true);
        }

        return CreateInAsync(Clone, name, options);
    }

    /// <summary>
    /// Creates a project with the default trigger and publishes it for one cloud once per test run (the publish test and the
    /// README test share it): Native AOT publishes are the slow part of this suite.
    /// </summary>
    public Task<Publication> PublishAsync(string target) =>
        _publications.GetOrAdd(target, t => new Lazy<Task<Publication>>(() => CreateAndPublishAsync(t))).Value;

    private async Task<Publication> CreateAndPublishAsync(string target)
    {
        var name = "Billing" + char.ToUpperInvariant(target[0]) + target[1..];
        var project = await CreateAsync(name);
        var output = Path.Combine(project, "out", target);
        var log = await RunAsync(project, "dotnet", "publish", name, "-c", "Release", "-r", "linux-x64", $"-p:PortableTarget={target}", "-o", Path.Combine("out", target), "-nologo");
        return new Publication(name, project, output, log);
    }

    private async Task<string> CreateInAsync(string folder, string name, string[] options)
    {
        Directory.CreateDirectory(folder);
        await RunAsync(folder, "dotnet", ["new", "portable-fn", "-n", name, "--feed", Feed, "--portable-version", Version, "--debug:custom-hive", Hive, .. options]);
        return Path.Combine(folder, name);
    }

    /// <summary>Runs a command, failing with its whole output when it does not exit 0.</summary>
    public static Task<string> RunAsync(string workingDirectory, string fileName, params string[] arguments) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), fileName, arguments);

    /// <summary>Runs a command with extra environment variables, failing with its whole output when it does not exit 0.</summary>
    public static async Task<string> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment) info.Environment[key] = value;
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

/// <summary>A generated project published for one cloud: its name, folder, publish folder and the publish's log.</summary>
public sealed record Publication(string Name, string Project, string Output, string Log);
