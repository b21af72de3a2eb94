using System.Diagnostics;

namespace Portable.Hosting.Tests.Fixtures;

/// <summary>Where the table's app is built, and its AWS publish (Native AOT <c>bootstrap</c>), made once per test run.</summary>
public sealed class TestApp : IAsyncLifetime
{
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Portable.sln"))) return dir.FullName;
            }

            throw new InvalidOperationException("Portable.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The JIT build with every adapter, which picks its platform from the environment.</summary>
    public static string Dll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = Path.Combine(RepoRoot, "tests", "Portable.Hosting.TestApp", "bin", configuration, "net10.0", "Portable.Hosting.TestApp.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build tests/Portable.Hosting.TestApp first.", dll);
        }
    }

    public string AwsOutput { get; } = Path.Combine(Path.GetTempPath(), "portable-table-aws-" + Guid.NewGuid().ToString("N"));

    public string Bootstrap => Path.Combine(AwsOutput, "bootstrap");

    public string PublishLog { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot };
        foreach (var arg in new[] { "publish", "tests/Portable.Hosting.TestApp", "-c", "Release", "-r", "linux-x64", "-p:PortableTarget=aws", "-o", AwsOutput, "-nologo" }) info.ArgumentList.Add(arg);
        using var publish = Process.Start(info)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        PublishLog = await stdout + await stderr;
        if (publish.ExitCode != 0 || !File.Exists(Bootstrap)) throw new InvalidOperationException("The aws publish of the test app failed:\n" + PublishLog);
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(AwsOutput)) Directory.Delete(AwsOutput, recursive: true);
        return Task.CompletedTask;
    }
}
