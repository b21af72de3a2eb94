using System.Diagnostics;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>
/// The Orders sample published Native AOT for GCP, the binary the fuzz suite also starts: <c>artifacts/published/gcp/Orders</c>,
/// which test.sh publishes before the tests run. When it is missing (a run from an IDE) the first test that needs it publishes it
/// there, once, and later runs reuse it. Its deployment files (deploy.sh, gcp-deploy.md) are the ones that publish wrote.
/// </summary>
internal static class PublishedOrders
{
    private static readonly Lazy<Task<string>> Executable = new(PublishAsync);

    public static Task<string> GetAsync() => Executable.Value;

    private static async Task<string> PublishAsync()
    {
        var output = Path.Combine(RepoRoot.Path, "artifacts", "published", "gcp");
        var executable = Path.Combine(output, "Orders");
        // A folder published before deploy.sh existed is published again.
        if (File.Exists(executable) && File.Exists(Path.Combine(output, "deploy.sh"))) return executable;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot.Path };
        foreach (var arg in new[] { "publish", "samples/Orders", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-p:PortableTarget=gcp", "-o", output, "-nologo" }) info.ArgumentList.Add(arg);
        using var publish = Process.Start(info)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0 || !File.Exists(executable))
        {
            throw new InvalidOperationException($"dotnet publish of the GCP sample failed ({publish.ExitCode}):\n{await stdout}{await stderr}");
        }

        return executable;
    }
}
