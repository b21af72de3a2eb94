using System.Collections.Concurrent;
using System.Diagnostics;

namespace Portable.Fuzz.Tests.Fixtures;

/// <summary>
/// The Orders sample published with Native AOT for one platform, once per run: test.sh publishes every target into
/// <c>artifacts/published/&lt;target&gt;</c> before the tests run, and the suite reuses that output. When it is missing
/// (a test run from an IDE), the first test that needs it publishes it there, and later runs reuse it; set
/// <c>PORTABLE_FUZZ_REPUBLISH=1</c> to publish again after changing the code.
/// </summary>
internal static class PublishedHost
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Outputs = new(StringComparer.Ordinal);

    // One publish at a time: the targets share samples/Orders/obj.
    private static readonly SemaphoreSlim OnePublish = new(1, 1);

    /// <summary>The targets, as <c>-p:PortableTarget</c> takes them.</summary>
    public static readonly string[] Targets = ["local", "aws", "gcp", "azure"];

    /// <summary>The folder of the published target, publishing it first when it is not there.</summary>
    public static Task<string> GetAsync(string target)
        => Outputs.GetOrAdd(target, t => new Lazy<Task<string>>(() => PublishAsync(t))).Value;

    /// <summary>The native executable in a published folder: <c>bootstrap</c> for AWS, <c>Orders</c> elsewhere.</summary>
    public static string Executable(string target, string folder) => Path.Combine(folder, target == "aws" ? "bootstrap" : "Orders");

    private static async Task<string> PublishAsync(string target)
    {
        var output = Path.Combine(RepoRoot.Path, "artifacts", "published", target);
        if (File.Exists(Executable(target, output)) && Environment.GetEnvironmentVariable("PORTABLE_FUZZ_REPUBLISH") != "1") return output;

        await OnePublish.WaitAsync();
        try
        {
            return await RunPublishAsync(target, output);
        }
        finally
        {
            OnePublish.Release();
        }
    }

    private static async Task<string> RunPublishAsync(string target, string output)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot.Path };
        foreach (var arg in new[] { "publish", "samples/Orders", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", $"-p:PortableTarget={target}", "-o", output, "-nologo" })
        {
            info.ArgumentList.Add(arg);
        }

        using var publish = Process.Start(info)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0 || !File.Exists(Executable(target, output)))
        {
            throw new InvalidOperationException($"dotnet publish of the {target} sample failed ({publish.ExitCode}):\n{await stdout}{await stderr}");
        }

        return output;
    }
}
