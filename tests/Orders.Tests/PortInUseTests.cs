using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orders.Tests;

/// <summary>The local host started on a port another process holds (issue #11, item 7).</summary>
[Collection("processes")]
public sealed class PortInUseTests
{
    [Fact]
    public async Task PortAlreadyInUse_IsOneLineNamingPort_AndExitCodeOne()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(SampleProcess.DllPath());
        info.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["PORTABLE_DATA_DIR"] = Path.Combine(Path.GetTempPath(), "portable-port-" + Guid.NewGuid().ToString("N"));
        foreach (var cloud in new[] { "AWS_LAMBDA_RUNTIME_API", "FUNCTIONS_CUSTOMHANDLER_PORT", "K_SERVICE", "FUNCTION_TARGET" }) info.Environment.Remove(cloud);

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var lines = ((await stdout) + (await stderr)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single(lines);
        Assert.Contains($"Port {port}", line, StringComparison.Ordinal);
        Assert.Contains("set PORT to a free port", line, StringComparison.Ordinal);
    }
}
