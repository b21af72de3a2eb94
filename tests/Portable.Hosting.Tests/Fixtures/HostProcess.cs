using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portable.Hosting.Tests.Fixtures;

/// <summary>A host started as its own process on a free loopback port, ready once a probe path answers anything.</summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _process;

    private HostProcess(Process process, int port, string workingDirectory)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    public string WorkingDirectory { get; }

    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Starts <paramref name="fileName"/> with the port in each of <paramref name="portVariables"/>, and waits for <paramref name="probePath"/>.</summary>
    public static async Task<HostProcess> StartAsync(string fileName, string? argument, IReadOnlyList<string> portVariables, IReadOnlyDictionary<string, string> environment, string probePath)
    {
        var port = FreePort();
        var workingDirectory = Directory.CreateTempSubdirectory("portable-table-").FullName;
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        if (argument is not null) info.ArgumentList.Add(argument);
        foreach (var name in new[] { "K_SERVICE", "FUNCTION_TARGET", "FUNCTIONS_CUSTOMHANDLER_PORT", "AWS_LAMBDA_RUNTIME_API", "PORTABLE_PLATFORM", "DOTNET_RUNNING_IN_CONTAINER" })
            info.Environment.Remove(name);
        foreach (var name in portVariables) info.Environment[name] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["PORTABLE_DATA_DIR"] = Path.Combine(workingDirectory, "data");
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var process = Process.Start(info)!;
        var started = new HostProcess(process, port, workingDirectory);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) started.Output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) started.Output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"{fileName} exited: " + string.Join('\n', started.Output));
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
        throw new TimeoutException($"{fileName} did not serve within 30 s: " + string.Join('\n', started.Output));
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
