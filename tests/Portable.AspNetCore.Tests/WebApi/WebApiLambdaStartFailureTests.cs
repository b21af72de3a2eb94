using System.Text.Json;
using Portable.Aws.Tests.Fixtures;

namespace Portable.AspNetCore.Tests.WebApi;

/// <summary>
/// samples/WebApi's published Native AOT bootstrap when it cannot start on Lambda: the reason is posted to
/// <c>/runtime/init/error</c> (error type <c>Runtime.InitError</c>, a body with <c>errorType</c> and <c>errorMessage</c>) and the
/// process ends with a non-zero exit code, whether <c>AddPortable</c> refuses the start or the failure escapes the app's
/// <c>Main</c> later (through the unhandled-exception hook).
/// </summary>
[Collection(WebApiCollection.Name)]
public sealed class WebApiLambdaStartFailureTests(WebApiFixture webApi)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AHandlerNamingNoFunction_IsPostedAsAnInitError_AndTheProcessExits()
    {
        var (posted, exitCode) = await StartAsync(new() { ["_HANDLER"] = "record-greetings" });

        Assert.Equal("Runtime.InitError", posted.ErrorType);
        using var body = JsonDocument.Parse(posted.Body);
        Assert.Equal("PortableConfigurationException", body.RootElement.GetProperty("errorType").GetString());
        Assert.Contains("'record-greetings'", body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, exitCode);
    }

    [Fact]
    public async Task AFailureThatEscapesMainWhileStarting_IsPostedAsAnInitError_AndTheProcessExits()
    {
        // An invalid setting read when the host starts the server: the exception leaves app.RunAsync(), past AddPortable.
        var (posted, exitCode) = await StartAsync(new() { ["_HANDLER"] = "web", ["Portable__Lambda__ResponseStreaming"] = "sometimes" });

        Assert.Equal("Runtime.InitError", posted.ErrorType);
        using var body = JsonDocument.Parse(posted.Body);
        Assert.Equal("PortableConfigurationException", body.RootElement.GetProperty("errorType").GetString());
        Assert.Contains("sometimes", body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, exitCode);
    }

    private async Task<(Outcome Posted, int ExitCode)> StartAsync(Dictionary<string, string> environment)
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        environment["AWS_LAMBDA_RUNTIME_API"] = api.Address;
        await using var app = AppProcess.Start(Path.Combine(webApi.AwsFolder, "bootstrap"), environment);
        var posted = await api.InitError.WaitAsync(Patience);
        return (posted, await app.WaitForExitAsync(Patience));
    }
}
