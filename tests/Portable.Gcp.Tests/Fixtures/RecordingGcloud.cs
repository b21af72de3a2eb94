using System.Diagnostics;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>
/// Runs a deploy.sh with a stand-in <c>gcloud</c> first on <c>PATH</c>: a bash script that appends its arguments (one call a line,
/// tab-separated) to a file and answers. A <c>describe</c> succeeds only for the command groups listed in <c>present</c>
/// (<c>all</c> for every group), else fails as gcloud does for a missing resource; the two value queries deploy.sh makes
/// (<c>value(projectNumber)</c>, <c>value(status.url)</c>) are answered with a project number and a service URL.
/// </summary>
internal static class RecordingGcloud
{
    public const string ProjectNumber = "123456789";

    private const string Script = """
        #!/usr/bin/env bash
        { printf '%s\t' "$@"; printf '\n'; } >> "$GCLOUD_RECORD"
        previous="" name=""
        for argument in "$@"; do
          if [ "$previous" = describe ]; then name="$argument"; fi
          previous="$argument"
        done
        for argument in "$@"; do
          case "$argument" in
            'value(projectNumber)') echo 123456789; exit 0 ;;
            'value(status.url)') echo "https://$name-stub.a.run.app"; exit 0 ;;
          esac
        done
        if [ "${2:-}" = describe ] || [ "${3:-}" = describe ]; then
          case " $GCLOUD_PRESENT " in
            *" all "* | *" $1 "*) exit 0 ;;
          esac
          echo "ERROR: (gcloud.$1) NOT_FOUND: the stand-in has no such resource" >&2
          exit 1
        fi
        exit 0
        """;

    /// <summary>Runs <c>bash deploy.sh</c> from another folder (the script must find its own), with the stand-in and the given environment.</summary>
    public static async Task<Run> RunAsync(string deployScript, string present, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("deploy.sh is a bash script for Linux and macOS.");
        var bin = Directory.CreateTempSubdirectory("portable-gcloud-").FullName;
        try
        {
            var record = Path.Combine(bin, "calls.tsv");
            var gcloud = Path.Combine(bin, "gcloud");
            await File.WriteAllTextAsync(gcloud, Script.ReplaceLineEndings("\n") + "\n");
            File.SetUnixFileMode(gcloud, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = bin };
            info.ArgumentList.Add(deployScript);
            info.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            info.Environment["GCLOUD_RECORD"] = record;
            info.Environment["GCLOUD_PRESENT"] = present;
            info.Environment["PROJECT"] = "demo-project";
            info.Environment["REGION"] = "europe-west1";
            foreach (var name in new[] { "ENVIRONMENT", "IMAGE", "TAG", "REPOSITORY", "INVOKERS" }) info.Environment.Remove(name);
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                if (value.Length == 0) info.Environment.Remove(name);
                else info.Environment[name] = value;
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            var calls = File.Exists(record)
                ? (await File.ReadAllLinesAsync(record)).Select(l => l.Split('\t')[..^1]).ToList()
                : [];
            return new Run(process.ExitCode, await stdout, await stderr, calls);
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    /// <summary>One run: its exit code, its output and the gcloud calls it made, in order.</summary>
    public sealed record Run(int ExitCode, string Output, string Error, IReadOnlyList<string[]> Calls)
    {
        public string Describe => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";

        /// <summary>The calls whose arguments start with these words, such as <c>run deploy</c>.</summary>
        public List<string[]> Of(string command)
        {
            var words = command.Split(' ');
            return Calls.Where(c => c.Length >= words.Length && c.AsSpan(0, words.Length).SequenceEqual(words)).ToList();
        }
    }

    /// <summary>The value after a flag, or null.</summary>
    public static string? Flag(string[] call, string flag)
    {
        var i = Array.IndexOf(call, flag);
        return i >= 0 && i + 1 < call.Length ? call[i + 1] : null;
    }

    /// <summary>Every value given to a flag that may repeat.</summary>
    public static List<string> Flags(string[] call, string flag)
        => call.Select((a, i) => (a, i)).Where(p => p.a == flag && p.i + 1 < call.Length).Select(p => call[p.i + 1]).ToList();
}
