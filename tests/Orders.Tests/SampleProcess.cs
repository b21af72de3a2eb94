using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orders.Tests;

/// <summary>The real sample started as its own process, as a user would run it.</summary>
internal sealed class SampleProcess : IDisposable
{
    private readonly Process _process;

    private SampleProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Starts a command (the sample's DLL through dotnet, or the native binary) and waits until it serves.</summary>
    public static async Task<SampleProcess> StartAsync(string fileName, string? argument, string dataDir, int? port = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        port ??= FreePort();
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (argument is not null) info.ArgumentList.Add(argument);
        info.Environment["PORT"] = port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["PORTABLE_DATA_DIR"] = dataDir;
        info.Environment["Portable__Local__VisibilityTimeout"] = "00:00:03";
        info.Environment.Remove("AWS_LAMBDA_RUNTIME_API");
        info.Environment.Remove("FUNCTIONS_CUSTOMHANDLER_PORT");
        info.Environment.Remove("K_SERVICE");
        info.Environment.Remove("FUNCTION_TARGET");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var process = Process.Start(info)!;
        var sample = new SampleProcess(process, port.Value);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) sample.Output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) sample.Output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException("The sample exited: " + string.Join('\n', sample.Output));
            try
            {
                if ((await sample.Client.GetAsync("/hello?name=probe")).IsSuccessStatusCode) return sample;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        sample.Kill();
        throw new TimeoutException("The sample did not serve within 30 s: " + string.Join('\n', sample.Output));
    }

    public static string DllPath()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepoRoot.Path, "samples", "Orders", "bin", configuration, "net10.0", "Orders.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build samples/Orders first.", dll);
    }

    /// <summary>SIGKILL: no shutdown, no flush.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, then wait for a graceful exit.</summary>
    public bool Stop()
    {
        if (_process.HasExited) return true;
        Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        return _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        Kill();
        Client.Dispose();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
