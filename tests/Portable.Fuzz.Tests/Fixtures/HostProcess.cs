using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portable.Fuzz.Tests.Fixtures;

/// <summary>One published host started as its own process: its output lines, whether it is still alive, and its memory from <c>/proc</c>.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;

    private HostProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public ConcurrentQueue<string> Output { get; } = new();

    public bool HasExited => _process.HasExited;

    public string ExitDescription => _process.HasExited ? $"exited with {_process.ExitCode}" : "running";

    /// <summary>Starts <paramref name="executable"/> with the given environment; none of the platform selectors of the test process leak in.</summary>
    public static HostProcess Start(string name, string executable, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        foreach (var variable in new[] { "AWS_LAMBDA_RUNTIME_API", "FUNCTIONS_CUSTOMHANDLER_PORT", "K_SERVICE", "FUNCTION_TARGET", "PORT", "_HANDLER" })
        {
            info.Environment.Remove(variable);
        }

        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info)!;
        var host = new HostProcess(process, name);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) host.Output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) host.Output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until the host accepts TCP connections on <paramref name="port"/>.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited) throw new InvalidOperationException($"{Name} {ExitDescription} before it served:\n{Tail(40)}");
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"{Name} did not listen on {port} within {timeout.TotalSeconds:0} s:\n{Tail(40)}");
    }

    /// <summary>A value of <c>/proc/&lt;pid&gt;/status</c> in bytes: <c>VmRSS</c> now, <c>VmHWM</c> the peak so far.</summary>
    public long Memory(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Id}/status"))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }

        throw new InvalidOperationException($"/proc/{Id}/status has no {field}.");
    }

    /// <summary>Resets the peak (<c>VmHWM</c>) to the current RSS, so the next peak is of what follows.</summary>
    public void ResetPeak() => File.WriteAllText($"/proc/{Id}/clear_refs", "5");

    public string Tail(int lines) => string.Join('\n', Output.TakeLast(lines));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
