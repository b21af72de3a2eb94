using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Contracts.Settings;
using Portable.Hosting.AspNetCore;

namespace Portable.Local.Tests;

/// <summary>Configuration and options on the local host (real Kestrel), as <c>LocalPlatform</c> runs it.</summary>
[Collection(ProcessExitCode.Collection)]
public sealed class ConfigurationAndOptionsTests
{
    [Fact]
    public async Task Get_SettingFromAppSettingsOverriddenByTheEnvironment_ReachesTheFunctionThroughIOptionsAndIConfiguration()
    {
        SettingsApp.WriteAppSettings();
        using var _ = SettingsApp.OverrideSuffix("suffix from the environment");
        var app = Build(SettingsApp.Section);
        await using var web = LocalHost.Build(app, configureOptions: Fast);
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
        var logs = new LineCapture();
        var app = Build(SettingsApp.MissingSection);
        var web = LocalHost.Build(app, w => w.Logging.AddProvider(logs), Fast);
        try
        {
            await KestrelHost.RunAsync(web, (_, _) => Assert.Fail("The host must not start."), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(1, Environment.ExitCode);
            var critical = Assert.Single(logs.Lines, l => l.Level == LogLevel.Critical);
            Assert.Contains(nameof(GreetingOptions), critical.Message, StringComparison.Ordinal);
            Assert.Contains(nameof(GreetingOptions.Text), critical.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', critical.Message);
            Assert.Null(critical.Exception);
        }
        finally
        {
            Environment.ExitCode = 0;
        }
    }

    private static PortableApp Build(string section)
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "local-settings";
        SettingsApp.Configure(section)(builder);
        return builder.Build();
    }

    private static void Fast(LocalOptions o)
    {
        o.Port = 0;
        o.InMemory = true;
        o.RunSchedules = false;
    }
}
