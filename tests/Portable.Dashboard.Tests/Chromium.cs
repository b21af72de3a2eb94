using Microsoft.Playwright;

namespace Portable.Dashboard.Tests;

/// <summary>
/// Starts Debian's chromium through Playwright: <c>/usr/bin/chromium</c>, or the file <c>PORTABLE_CHROMIUM</c> names. Playwright
/// never downloads a browser here; its driver (node) ships in the NuGet package. A missing browser fails with the fix.
/// </summary>
internal static class Chromium
{
    public static string ExecutablePath { get; } = Environment.GetEnvironmentVariable("PORTABLE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"The browser tests need Debian's chromium at {ExecutablePath}: run `apt-get install -y chromium` (test.sh does when it can), " +
                "or set PORTABLE_CHROMIUM to a Chromium executable.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true, Timeout = 30_000 });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
