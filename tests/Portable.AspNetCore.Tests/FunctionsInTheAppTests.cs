using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Portable.AspNetCore.Functions;
using Portable.AspNetCore.Lambda;
using Portable.AspNetCore.Tests.Fixtures;
using Portable.Aws.Tests.Fixtures;
using Portable.Local;

namespace Portable.AspNetCore.Tests;

/// <summary>Portable functions beside an ASP.NET Core app's endpoints, in the app's own container, locally and on Lambda.</summary>
public sealed class FunctionsInTheAppTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Locally_AnEndpointFeedsTheQueueFunction_ThroughIQueue_InTheAppsOwnContainer()
    {
        await using var app = FunctionsApp.Build(LocalPlatform.Instance);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        using var accepted = await client.PostAsync(new Uri("/greet/ada", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("local", await app.Services.GetRequiredService<GreetingLog>().Seen("ada").WaitAsync(Patience));
        Assert.Equal("pong", await client.GetStringAsync(new Uri("/ping", UriKind.Relative))); // the app's own routes are served as before
        await app.StopAsync();
    }

    [Fact]
    public async Task OnLambda_HandlerNamingTheFunction_RunsItOnSqsEvents_WithTheAppsContainer()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var app = FunctionsApp.Build(null, builder =>
        {
            builder.Configuration["AWS_LAMBDA_RUNTIME_API"] = api.Address;
            builder.Configuration["_HANDLER"] = FunctionsApp.Function;
        });
        Assert.IsType<LambdaFunctionServer>(app.Services.GetRequiredService<IServer>());
        await app.StartAsync();

        var outcome = await api.Enqueue("""{"Records":[{"eventSource":"aws:sqs","messageId":"m-1","body":"{\"name\":\"grace\"}"}]}""").WaitAsync(Patience);

        Assert.Equal("response", outcome.Kind);
        Assert.Contains("\"batchItemFailures\":[]", outcome.Body, StringComparison.Ordinal);
        Assert.Equal("aws", await app.Services.GetRequiredService<GreetingLog>().Seen("grace").WaitAsync(Patience));
        await app.StopAsync();
    }

    [Fact]
    public async Task OnLambda_AnUnreadableMessage_FailsOnlyItsRecord_AndTheLoopGoesOn()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var app = FunctionsApp.Build(null, builder =>
        {
            builder.Configuration["AWS_LAMBDA_RUNTIME_API"] = api.Address;
            builder.Configuration["_HANDLER"] = FunctionsApp.Function;
        });
        await app.StartAsync();

        var bad = await api.Enqueue("""{"Records":[{"eventSource":"aws:sqs","messageId":"m-bad","body":"not json"}]}""").WaitAsync(Patience);
        var good = await api.Enqueue("""{"Records":[{"eventSource":"aws:sqs","messageId":"m-2","body":"{\"name\":\"linus\"}"}]}""").WaitAsync(Patience);

        Assert.Contains("m-bad", bad.Body, StringComparison.Ordinal);
        Assert.Equal("response", good.Kind);
        Assert.Equal("aws", await app.Services.GetRequiredService<GreetingLog>().Seen("linus").WaitAsync(Patience));
        await app.StopAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("web")]
    public void OnLambda_HandlerNamingNoFunction_ServesTheAppsHttp_WithTheAwsQueueForEndpoints(string? handler)
    {
        var app = FunctionsApp.Build(null, builder =>
        {
            builder.Configuration["AWS_LAMBDA_RUNTIME_API"] = "127.0.0.1:9001";
            if (handler is not null) builder.Configuration["_HANDLER"] = handler;
        });

        Assert.IsType<LambdaServer>(app.Services.GetRequiredService<IServer>());
        Assert.Equal("SqsQueue`1", app.Services.GetRequiredService<IQueue<Greeting>>().GetType().Name);
    }

    [Fact]
    public void AnHttpFunction_IsRefused_WithTheEndpointToWriteInstead()
    {
        var builder = WebApplication.CreateBuilder();

        var e = Assert.Throws<PortableConfigurationException>(() => PortableWebApplicationBuilderExtensions.AddPortable(builder,
            portable => portable.Functions.MapHttp<Hello>("GET /hello"), [], LocalPlatform.Instance));

        Assert.Contains("app.MapMethods(\"/hello\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CalledTwice_IsRefused_SayingToMapEveryFunctionInOneCall()
    {
        var builder = WebApplication.CreateBuilder();
        PortableWebApplicationBuilderExtensions.AddPortable(builder, _ => { }, [], LocalPlatform.Instance);

        var e = Assert.Throws<PortableConfigurationException>(() => PortableWebApplicationBuilderExtensions.AddPortable(builder, _ => { }, [], LocalPlatform.Instance));

        Assert.Contains("one call", e.Message, StringComparison.Ordinal);
    }

    private sealed class Hello : IHttpFunction
    {
        public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
            => Task.FromResult(new HttpResponseData(200));
    }
}
