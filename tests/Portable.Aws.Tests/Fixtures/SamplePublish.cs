using System.Diagnostics;

namespace Portable.Aws.Tests.Fixtures;

/// <summary>
/// Runs <c>dotnet publish</c> of the Orders sample for the fixtures that need a publish, one at a time: two publishes of the same
/// projects at once (test classes run in parallel) build the same <c>obj/</c> folders and fail on each other's files.
/// </summary>
public static class SamplePublish
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>Publishes with these arguments after <c>dotnet publish samples/Orders -c Release</c>, from the repository root.</summary>
    /// <returns>The exit code and everything the publish wrote.</returns>
    public static async Task<(int ExitCode, string Log)> RunAsync(params string[] args)
    {
        await OneAtATime.WaitAsync();
        try
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = PublishedBootstrap.RepoRoot };
            foreach (var arg in new[] { "publish", "samples/Orders", "-c", "Release", "-nologo" }.Concat(args)) info.ArgumentList.Add(arg);
            using var publish = Process.Start(info)!;
            var stdout = publish.StandardOutput.ReadToEndAsync();
            var stderr = publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            return (publish.ExitCode, await stdout + await stderr);
        }
        finally
        {
            OneAtATime.Release();
        }
    }
}
