using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.AspNetCore.Lambda;
using Portable.AspNetCore.Tests.Fixtures;

namespace Portable.AspNetCore.Tests;

public sealed class AddPortableTests
{
    [Fact]
    public async Task WithoutTheRuntimeApi_TheAppRunsOnKestrelAsWritten()
    {
        await using var app = await TestApp.StartAsync(null);

        Assert.Contains("Kestrel", app.Services.GetRequiredService<IServer>().GetType().Name, StringComparison.Ordinal);
        Assert.StartsWith("http://127.0.0.1:", app.Urls.Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WithTheRuntimeApi_TheServerIsTheLambdaServer_ForBothBuilders(bool slim)
    {
        var builder = slim ? WebApplication.CreateSlimBuilder() : WebApplication.CreateBuilder();
        builder.Configuration["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:9001";
        builder.AddPortable().AddPortable(); // twice: harmless

        using var services = builder.Services.BuildServiceProvider();
        Assert.IsType<LambdaServer>(services.GetRequiredService<IServer>());
        Assert.Single(builder.Services, d => d.ServiceType == typeof(IServer));
    }

    [Fact]
    public async Task RuntimeApiThatFails_StopsTheAppWithExitCode1_AndSaysWhy()
    {
        var logs = new CapturedLogs();
        await using var app = await TestApp.StartAsync("127.0.0.1:1", logs); // nothing listens on port 1
        var stopping = new TaskCompletionSource();
        using var registration = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stopping.SetResult);
        try
        {
            await stopping.Task.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(1, Environment.ExitCode);
            Assert.Contains(logs.Lines, l => l.Level == LogLevel.Critical && l.Message.Contains("Runtime API failed", StringComparison.Ordinal) && l.Exception is HttpRequestException);
        }
        finally
        {
            Environment.ExitCode = 0; // the test host's own exit code
        }
    }
}
