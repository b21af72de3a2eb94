using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portable.AspNetCore.Tests.WebApi;

/// <summary>A built or published samples/WebApi running as its own process, with its output kept for assertions; stopped by its id on dispose.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process) => _process = process;

    /// <summary>Everything the app wrote so far.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts the app: <paramref name="executable"/> (a native bootstrap) or <c>dotnet</c> with it (a .dll), with these environment variables.</summary>
    public static AppProcess Start(string executable, IReadOnlyDictionary<string, string> environment)
    {
        var dll = executable.EndsWith(".dll", StringComparison.Ordinal);
        var info = new ProcessStartInfo(dll ? "dotnet" : executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(executable)! };
        if (dll) info.ArgumentList.Add(executable);
        foreach (var name in new[] { "ASPNETCORE_URLS", "AWS_LAMBDA_RUNTIME_API", "_HANDLER", "K_SERVICE", "FUNCTION_TARGET", "FUNCTIONS_CUSTOMHANDLER_PORT", "PORT", "PORTABLE_PLATFORM" }) info.Environment.Remove(name);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var app = new AppProcess(Process.Start(info)!);
        app._process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        return app;
    }

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Waits until the app answers HTTP on <paramref name="address"/> (any status), or fails with its output.</summary>
    public async Task WaitForHttpAsync(HttpClient client, Uri address)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var answer = await client.GetAsync(address);
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>
    /// Waits until the app has written <paramref name="text"/> (the console logger writes from its own thread, so a line logged while
    /// an invocation ran may reach the output after its response), or fails with the output after <paramref name="patience"/>.
    /// </summary>
    public async Task WaitForOutputAsync(string text, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > until) throw new InvalidOperationException($"The app did not write \"{text}\" within {patience}:\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the app to end by itself; its exit code, or a failure with its output when it does not end within <paramref name="patience"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"The app did not exit within {patience}:\n{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
