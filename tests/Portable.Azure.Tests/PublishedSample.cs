using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portable.Azure.Tests;

/// <summary>
/// The Orders sample published Native AOT for Azure, once for the whole run, in <c>artifacts/published/azure</c> (where test.sh and
/// the fuzz suite put it): reused when it is there, published there when it is not. Set <c>PORTABLE_REPUBLISH=1</c> to publish
/// again after changing the code.
/// </summary>
internal static class PublishedSample
{
    private static readonly Lazy<Task<string>> Folder = new(PublishAsync);

    /// <summary>The handler executable, publishing it first when it is not there.</summary>
    public static async Task<string> ExecutableAsync() => Path.Combine(await Folder.Value, "Orders");

    /// <summary>Starts the published handler on a free port with the given environment, and waits until it answers <c>GET /</c>.</summary>
    public static async Task<(Process Process, HttpClient Client)> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var executable = await ExecutableAsync();
        var port = FreePort();
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(executable)! };
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/")).IsSuccessStatusCode) return (process, client);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline || process.HasExited)
            {
                process.Kill();
                throw new TimeoutException($"The published handler did not answer GET / within 30 s (exited: {process.HasExited}).");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<string> PublishAsync()
    {
        var root = RepoRoot();
        var output = Path.Combine(root, "artifacts", "published", "azure");
        if (File.Exists(Path.Combine(output, "Orders")) && Environment.GetEnvironmentVariable("PORTABLE_REPUBLISH") != "1") return output;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        foreach (var argument in new[] { "publish", "samples/Orders", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-p:PortableTarget=azure", "-o", output, "-nologo" })
        {
            info.ArgumentList.Add(argument);
        }

        using var publish = Process.Start(info)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0) throw new InvalidOperationException($"dotnet publish of the Azure sample failed ({publish.ExitCode}):\n{await stdout}{await stderr}");
        return output;
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portable.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Portable.sln not found above " + AppContext.BaseDirectory);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
