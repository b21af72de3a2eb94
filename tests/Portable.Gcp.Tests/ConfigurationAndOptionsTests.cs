using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portable.Contracts.Settings;
using Portable.Hosting.AspNetCore;

namespace Portable.Gcp.Tests;

/// <summary>Configuration and options on the Functions Framework host (real Kestrel), as <c>GcpPlatform</c> runs it.</summary>
public sealed class ConfigurationAndOptionsTests
{
    [Fact]
    public async Task Get_SettingFromAppSettingsOverriddenByTheEnvironment_ReachesTheFunctionThroughIOptionsAndIConfiguration()
    {
        SettingsApp.WriteAppSettings();
        using var _ = SettingsApp.OverrideSuffix("suffix from the environment");
        await using var web = Build(SettingsApp.Section, TextWriter.Null);
        await web.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        var response = await client.GetAsync("/greeting");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync(SettingsJson.Default.GreetingView))!;
        SettingsApp.AssertGreeting(view, "suffix from the environment");
        Assert.Equal(SettingsApp.FileText, web.Services.GetRequiredService<IConfiguration>()[SettingsApp.Section + ":Text"]);
        await web.StopAsync();
    }

    [Fact]
    public async Task Run_WithARequiredOptionMissing_LogsOneCriticalLineNamingItAndExitsOne()
    {
        SettingsApp.WriteAppSettings();
        var log = new StringWriter();
        var web = Build(SettingsApp.MissingSection, log);
        try
        {
            await KestrelHost.RunAsync(web, (_, _) => Assert.Fail("The host must not start."), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(1, Environment.ExitCode);
            var line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("\"severity\":\"CRITICAL\"", line, StringComparison.Ordinal);
            Assert.Contains(nameof(GreetingOptions), line, StringComparison.Ordinal);
            Assert.Contains(nameof(GreetingOptions.Text), line, StringComparison.Ordinal);
        }
        finally
        {
            Environment.ExitCode = 0;
        }
    }

    private static WebApplication Build(string section, TextWriter log)
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "gcp-settings";
        SettingsApp.Configure(section)(builder);
        var settings = new GcpSettings { Port = 0, Target = "ReadGreeting", ProjectId = "test-project" };
        return GcpHost.Build(builder.Build(), settings, logOutput: log);
    }
}
