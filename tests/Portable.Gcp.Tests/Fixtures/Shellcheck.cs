using System.Diagnostics;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>
/// Runs <c>shellcheck</c> (the Debian package, which test.sh installs when it is missing). A machine without it fails the test
/// that needs it, saying how to install it: a deploy script nobody checked is not a pass.
/// </summary>
internal static class Shellcheck
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string script)
    {
        var info = new ProcessStartInfo("shellcheck") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--shell=bash", "--severity=style", "--format=gcc", script }) info.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("shellcheck is not installed: apt-get install -y shellcheck (test.sh does this on a clean machine).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
