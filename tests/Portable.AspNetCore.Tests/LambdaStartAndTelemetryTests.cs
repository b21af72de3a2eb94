using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.AspNetCore.Lambda;
using Portable.AspNetCore.Tests.Fixtures;
using Portable.Aws.Tests.Fixtures;
using Portable.Hosting;

namespace Portable.AspNetCore.Tests;

/// <summary>
/// An ASP.NET Core app on Lambda, in both modes (the app's HTTP, and a Portable function named by <c>_HANDLER</c>): the app's
/// telemetry flushes run after each invocation, before the next one, and a failure while the app starts is posted to
/// <c>/runtime/init/error</c> as Portable.Aws's own bootstrap does.
/// </summary>
public sealed class LambdaStartAndTelemetryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HttpMode_FlushesTheAppsTelemetry_AfterEachInvocation_BeforeTheNextIsHandled()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var flush = new RecordingFlush();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Configuration["AWS_LAMBDA_RUNTIME_API"] = api.Address;
        builder.AddPortable();
        builder.Services.AddSingleton<ITelemetryFlush>(flush);
        await using var app = builder.Build();
        app.MapGet("/flushes", () => flush.Count.ToString(CultureInfo.InvariantCulture));
        await app.StartAsync();

        var first = await InvokeHttpAsync(api, "/flushes");
        var second = await InvokeHttpAsync(api, "/flushes");

        Assert.Equal("0", first.Text);
        Assert.Equal("1", second.Text); // the first invocation's flush ran before the second was handled
        await app.StopAsync();
    }

    [Fact]
    public async Task FunctionMode_FlushesTheAppsTelemetry_AfterEachInvocation_BeforeTheNextIsHandled()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var app = FunctionsApp.Build(null, builder =>
        {
            builder.Configuration["AWS_LAMBDA_RUNTIME_API"] = api.Address;
            builder.Configuration["_HANDLER"] = FunctionsApp.Function;
            builder.Services.AddSingleton(services =>
            {
                var log = services.GetRequiredService<GreetingLog>();
                return new RecordingFlush(() => string.Join(',', new[] { "ada", "grace" }.Where(name => log.Seen(name).IsCompleted)));
            });
            builder.Services.AddSingleton<ITelemetryFlush>(services => services.GetRequiredService<RecordingFlush>());
        });
        await app.StartAsync();

        await api.Enqueue(SqsEvent("m-1", "ada")).WaitAsync(Patience);
        var second = await api.Enqueue(SqsEvent("m-2", "grace")).WaitAsync(Patience);

        Assert.Equal("response", second.Kind);
        var flush = app.Services.GetRequiredService<RecordingFlush>();
        Assert.True(flush.Snapshots.TryPeek(out var atFirstFlush));
        Assert.Equal("ada", atFirstFlush); // after the first message was handled, before the second
        await app.StopAsync();
    }

    [Fact]
    public async Task AHandlerNamingNoFunction_FailsTheStart_AndIsPostedAsAnInitError_NamingTheChoices()
    {
        await using var api = await FakeRuntimeApi.StartAsync();

        var e = Assert.Throws<PortableConfigurationException>(() => FunctionsApp.Build(null, builder =>
        {
            builder.Configuration["AWS_LAMBDA_RUNTIME_API"] = api.Address;
            builder.Configuration["_HANDLER"] = "record-greting";
        }));

        Assert.Contains("'record-greting'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'web'", e.Message, StringComparison.Ordinal);
        Assert.Contains(FunctionsApp.Function, e.Message, StringComparison.Ordinal);
        await AssertPostedAsInitErrorAsync(api, e);
    }

    [Fact]
    public async Task AFunctionThatCannotRun_FailsTheServersStart_AndIsPostedAsAnInitError()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Configuration["AWS_LAMBDA_RUNTIME_API"] = api.Address;
        builder.Configuration["_HANDLER"] = "unlisted";
        PortableWebApplicationBuilderExtensions.AddPortable(builder, portable => portable.Functions.MapQueue<TakeUnlisted, Unlisted>("q", "unlisted"), [], null);
        await using var app = builder.Build();

        var e = await Assert.ThrowsAsync<PortableConfigurationException>(() => app.StartAsync());

        await AssertPostedAsInitErrorAsync(api, e);
    }

    [Fact]
    public async Task OnceTheLoopHasStarted_AFailureIsNoLongerAnInitError()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var reporter = new LambdaInitErrorReporter(api.Address, TextWriter.Null);

        reporter.LoopStarting();
        await reporter.ReportAsync(new InvalidOperationException("after the start"), CancellationToken.None);

        Assert.False(reporter.Reported);
        Assert.False(api.InitError.IsCompleted);
    }

    [Fact]
    public async Task AStartFailure_IsReportedOnce_WithTheFirstReason()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var log = new StringWriter();
        var reporter = new LambdaInitErrorReporter(api.Address, log);

        await reporter.ReportAsync(new InvalidOperationException("first"), CancellationToken.None);
        await reporter.ReportAsync(new InvalidOperationException("second"), CancellationToken.None);

        Assert.True(reporter.Reported);
        Assert.Contains("\"errorMessage\":\"first\"", (await api.InitError.WaitAsync(Patience)).Body, StringComparison.Ordinal);
        var line = Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("InvalidOperationException: first (reported to the Runtime API as Runtime.InitError)", line, StringComparison.Ordinal);
    }

    /// <summary>The Runtime API got <c>/runtime/init/error</c> with <paramref name="e"/>'s type and message, as Lambda's error body.</summary>
    private static async Task AssertPostedAsInitErrorAsync(FakeRuntimeApi api, Exception e)
    {
        var posted = await api.InitError.WaitAsync(Patience);
        Assert.Equal("Runtime.InitError", posted.ErrorType);
        using var body = JsonDocument.Parse(posted.Body);
        Assert.Equal(e.GetType().Name, body.RootElement.GetProperty("errorType").GetString());
        Assert.Equal(e.Message, body.RootElement.GetProperty("errorMessage").GetString());
    }

    private static async Task<Answer> InvokeHttpAsync(FakeRuntimeApi api, string path)
    {
        var outcome = await api.Enqueue(EventShapes.Build(Shape.HttpApi, new TestRequest("GET", path, [], []))).WaitAsync(Patience);
        Assert.True(outcome.Kind == "response", $"Expected a response, got {outcome.Kind} {outcome.ErrorType}: {outcome.Body}");
        return EventShapes.ReadResponse(outcome.Body);
    }

    private static string SqsEvent(string messageId, string name)
        => $$"""{"Records":[{"eventSource":"aws:sqs","messageId":"{{messageId}}","body":"{\"name\":\"{{name}}\"}"}]}""";

    /// <summary>A message type no JSON context of the app describes.</summary>
    public sealed record Unlisted(string Value);

    private sealed class TakeUnlisted : IMessageHandler<Unlisted>
    {
        public Task HandleAsync(Unlisted message, FunctionContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
