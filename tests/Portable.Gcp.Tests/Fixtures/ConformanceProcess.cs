using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>The conformance app (or any published app) started as its own process, as the conformance client starts it.</summary>
internal sealed class ConformanceProcess : IDisposable
{
    private readonly Process _process;

    private ConformanceProcess(Process process, int port, string workingDirectory)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public string WorkingDirectory { get; }

    public ConcurrentQueue<string> Output { get; } = new();

    public string OutputFile => Path.Combine(WorkingDirectory, "function_output.json");

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static Task<ConformanceProcess> StartConformanceAsync(string target, string signatureType)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepoRoot.Path, "tests", "Portable.Gcp.Conformance", "bin", configuration, "net10.0", "Portable.Gcp.Conformance.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build tests/Portable.Gcp.Conformance first.", dll);
        return StartAsync("dotnet", dll, new Dictionary<string, string> { ["FUNCTION_TARGET"] = target, ["FUNCTION_SIGNATURE_TYPE"] = signatureType }, "/favicon.ico");
    }

    /// <summary>Starts a command and waits until <paramref name="probePath"/> answers anything.</summary>
    public static async Task<ConformanceProcess> StartAsync(string fileName, string? argument, IReadOnlyDictionary<string, string> environment, string probePath)
    {
        var port = FreePort();
        var workingDirectory = Directory.CreateTempSubdirectory("portable-gcp-").FullName;
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        if (argument is not null) info.ArgumentList.Add(argument);
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment.Remove("K_SERVICE");
        info.Environment.Remove("DOTNET_RUNNING_IN_CONTAINER");
        info.Environment.Remove("PORTABLE_PLATFORM");
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var process = Process.Start(info)!;
        var started = new ConformanceProcess(process, port, workingDirectory);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) started.Output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) started.Output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException("The app exited: " + string.Join('\n', started.Output));
            try
            {
                await started.Client.GetAsync(probePath);
                return started;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        started.Dispose();
        throw new TimeoutException("The app did not serve within 30 s: " + string.Join('\n', started.Output));
    }

    /// <summary>SIGTERM, as Cloud Run sends before it stops an instance; then waits for the exit.</summary>
    public bool Terminate()
    {
        if (_process.HasExited) return true;
        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        return _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
        Client.Dispose();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
