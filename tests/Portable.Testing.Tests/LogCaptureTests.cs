using System.Net;
using Microsoft.Extensions.Logging;

namespace Portable.Testing.Tests;

public sealed class LogCaptureTests
{
    private static void Configure(PortableAppBuilder builder) => builder.Functions.MapHttp<Greeter>("GET /greet");

    [Fact]
    public async Task FunctionLog_IsCaptured_WithItsLevelCategoryValuesAndInvocationScope()
    {
        await using var host = await PortableTestHost.StartAsync(Configure);
        using var client = host.CreateClient();
        var invocationId = await client.GetStringAsync("/greet?name=Ada");

        var entry = Assert.Single(host.Logs, l => l.EventId.Id == 7);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal("Portable.Functions.Greeter", entry.Category);
        Assert.Equal("Greeting Ada", entry.Message);
        Assert.Equal("Ada", entry.Values["Name"]);
        Assert.Equal("Greeter", entry.FunctionName);
        Assert.Equal(invocationId, entry.InvocationId);
        Assert.Equal("local", entry.Scope["Platform"]);
        Assert.Null(entry.Exception);
    }

    [Fact]
    public async Task FailingFunction_IsLoggedAsAnError_WithItsExceptionUnderTheInvocationIdItAnswered()
    {
        await using var host = await PortableTestHost.StartAsync(Configure);
        using var client = host.CreateClient();
        var response = await client.GetAsync("/greet?name=boom");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var invocationId = Assert.Single(response.Headers.GetValues("X-Portable-Invocation-Id"));

        var failure = Assert.Single(host.Logs, l => l.Level == LogLevel.Error);
        Assert.Equal(invocationId, failure.InvocationId);
        Assert.Contains(invocationId, failure.Message, StringComparison.Ordinal);
        Assert.Equal("the greeter broke", Assert.IsType<InvalidOperationException>(failure.Exception).Message);
    }

    [Fact]
    public async Task ClearLogs_ForgetsWhatWasLogged_AndKeepsCapturingWhatComesNext()
    {
        await using var host = await PortableTestHost.StartAsync(Configure);
        using var client = host.CreateClient();
        await client.GetAsync("/greet?name=Ada");
        host.ClearLogs();
        Assert.DoesNotContain(host.Logs, l => l.EventId.Id == 7);

        await client.GetAsync("/greet?name=Grace");
        Assert.Equal("Greeting Grace", Assert.Single(host.Logs, l => l.EventId.Id == 7).Message);
    }
}
