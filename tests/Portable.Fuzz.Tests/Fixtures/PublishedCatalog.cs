using System.Diagnostics;
using System.Text.Json;

namespace Portable.Fuzz.Tests.Fixtures;

/// <summary>One function of the published app, as its <c>--describe</c> catalog names it.</summary>
/// <param name="Name">The function's name (Lambda's <c>_HANDLER</c>, GCP's <c>FUNCTION_TARGET</c>).</param>
/// <param name="Trigger">The trigger's kind: <c>http</c>, <c>queue</c>, <c>topic</c>, <c>schedule</c>, <c>event</c>, <c>blob</c>.</param>
/// <param name="Buckets">The buckets it uses (from its constructor).</param>
internal sealed record CatalogFunction(string Name, string Trigger, IReadOnlyList<string> Buckets);

/// <summary>
/// The functions of a published host, read from the binary itself (<c>--describe</c> prints the catalog and exits), so the fuzz
/// hosts start one process per function the sample has, not a list written here that goes stale when the sample grows.
/// </summary>
internal static class PublishedCatalog
{
    public static async Task<IReadOnlyList<CatalogFunction>> ReadAsync(string executable)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(executable)! };
        info.ArgumentList.Add("--describe");
        foreach (var name in new[] { "AWS_LAMBDA_RUNTIME_API", "FUNCTIONS_CUSTOMHANDLER_PORT", "K_SERVICE", "FUNCTION_TARGET" }) info.Environment.Remove(name);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0) throw new InvalidOperationException($"{executable} --describe exited with {process.ExitCode}:\n{await stdout}{await stderr}");

        using var catalog = JsonDocument.Parse(await stdout);
        return [.. catalog.RootElement.GetProperty("functions").EnumerateArray().Select(f => new CatalogFunction(
            f.GetProperty("name").GetString()!,
            f.GetProperty("trigger").GetProperty("kind").GetString()!,
            f.TryGetProperty("uses", out var uses) && uses.TryGetProperty("buckets", out var buckets) ? [.. buckets.EnumerateArray().Select(b => b.GetString()!)] : []))];
    }
}
