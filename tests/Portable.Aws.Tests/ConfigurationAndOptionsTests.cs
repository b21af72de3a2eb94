using System.Text.Json;
using Portable.Aws.Tests.Fixtures;
using Portable.Contracts.Settings;

namespace Portable.Aws.Tests;

/// <summary>Configuration and options through the real Lambda bootstrap against the in-test Runtime API.</summary>
[Collection(RuntimeCollection.Name)]
public sealed class ConfigurationAndOptionsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Invoke_SettingFromAppSettingsOverriddenByTheEnvironment_ReachesTheFunctionThroughIOptionsAndIConfiguration()
    {
        SettingsApp.WriteAppSettings();
        using var _ = SettingsApp.OverrideSuffix("suffix from the environment");
        await using var runtime = await RuntimeHarness.StartAsync("ReadGreeting", SettingsApp.Configure());

        var outcome = await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/greeting")).WaitAsync(Wait);

        Assert.Equal("response", outcome.Kind);
        var response = TestEvents.Parse(outcome.Body);
        Assert.Equal(200, response.GetProperty("statusCode").GetInt32());
        var view = JsonSerializer.Deserialize(response.GetProperty("body").GetString()!, SettingsJson.Default.GreetingView)!;
        SettingsApp.AssertGreeting(view, "suffix from the environment"); // IConfiguration resolves from the Lambda container
        Assert.False(string.IsNullOrEmpty(view.Environment));
    }

    [Fact]
    public async Task Start_WithARequiredOptionMissing_PostsAnInitErrorNamingItAndReturnsOne()
    {
        SettingsApp.WriteAppSettings();
        await using var runtime = await RuntimeHarness.StartAsync("ReadGreeting", SettingsApp.Configure(SettingsApp.MissingSection));

        var error = await runtime.Api.InitError.WaitAsync(Wait);
        var exit = await runtime.Loop.WaitAsync(Wait);

        Assert.Equal(1, exit);
        Assert.Equal("Runtime.InitError", error.ErrorType);
        var message = TestEvents.Parse(error.Body).GetProperty("errorMessage").GetString()!;
        Assert.Contains(nameof(GreetingOptions), message, StringComparison.Ordinal);
        Assert.Contains(nameof(GreetingOptions.Text), message, StringComparison.Ordinal);
        var line = Assert.Single(runtime.LogLines(), l => l.Contains("\"level\":\"FATAL\"", StringComparison.Ordinal));
        Assert.Contains(nameof(GreetingOptions), line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal); // the fix is named; no stack trace
    }
}
