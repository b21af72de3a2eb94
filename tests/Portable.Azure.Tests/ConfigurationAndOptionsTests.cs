using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Azure.Handler;
using Portable.Contracts.Settings;
using Portable.Hosting.AspNetCore;

namespace Portable.Azure.Tests;

/// <summary>Configuration and options on the custom handler (real Kestrel), as <c>AzurePlatform</c> runs it.</summary>
public sealed class ConfigurationAndOptionsTests
{
    [Fact]
    public async Task Get_SettingFromAppSettingsOverriddenByTheEnvironment_ReachesTheFunctionThroughIOptionsAndIConfiguration()
    {
        SettingsApp.WriteAppSettings();
        using var _ = SettingsApp.OverrideSuffix("suffix from the environment");
        await using var handler = await RunningHandler.StartAsync(SettingsApp.Configure());

        var response = await handler.Client.GetAsync("/greeting");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync(SettingsJson.Default.GreetingView))!;
        SettingsApp.AssertGreeting(view, "suffix from the environment");
        Assert.Equal(SettingsApp.FileText, handler.Web.Services.GetRequiredService<IConfiguration>()[SettingsApp.Section + ":Text"]);
    }

    [Fact]
    public async Task Run_WithARequiredOptionMissing_LogsOneCriticalLineNamingItAndExitsOne()
    {
        SettingsApp.WriteAppSettings();
        var logs = new LineCapture();
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "azure-settings";
        SettingsApp.Configure(SettingsApp.MissingSection)(builder);
        WebApplication web = AzureHost.Build(builder.Build(), w => w.Logging.AddProvider(logs), o => o.Port = 0);
        try
        {
            await KestrelHost.RunAsync(web, (_, _) => Assert.Fail("The host must not start."), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(1, Environment.ExitCode);
            var critical = Assert.Single(logs.Lines, l => l.Level == LogLevel.Critical);
            Assert.Contains(nameof(GreetingOptions), critical.Message, StringComparison.Ordinal);
            Assert.Contains(nameof(GreetingOptions.Text), critical.Message, StringComparison.Ordinal);
            Assert.Null(critical.Exception);
        }
        finally
        {
            Environment.ExitCode = 0;
        }
    }
}
