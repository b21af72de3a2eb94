using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portable.AspNetCore.Tests.Fixtures;
using Portable.Azure;
using Portable.Gcp;

namespace Portable.AspNetCore.Tests;

/// <summary>The app's Portable functions on Google Cloud Run (Pub/Sub push at the reserved path) and as an Azure custom handler (invocations), beside its routes.</summary>
public sealed class FunctionsOnGcpAndAzureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OnGcp_APubSubPushAtTheReservedPath_RunsTheQueueFunction_AndTheAppsRoutesStillAnswer()
    {
        await using var app = FunctionsApp.Build(GcpPlatform.Instance, builder =>
        {
            builder.Configuration["PORT"] = "0";
            builder.Configuration["GOOGLE_CLOUD_PROJECT"] = "test-project";
        });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var data = Convert.ToBase64String("""{"name":"hopper"}"""u8);
        using var push = new StringContent($$"""{"message":{"data":"{{data}}","messageId":"m-1"},"subscription":"projects/test-project/subscriptions/greetings"}""", Encoding.UTF8, "application/json");

        using var answer = await client.PostAsync(new Uri("/_portable/functions/" + FunctionsApp.Function, UriKind.Relative), push);

        Assert.True(answer.IsSuccessStatusCode, $"push answered {(int)answer.StatusCode}");
        Assert.Equal("gcp", await app.Services.GetRequiredService<GreetingLog>().Seen("hopper").WaitAsync(Patience));
        Assert.Equal("pong", await client.GetStringAsync(new Uri("/ping", UriKind.Relative)));
        await app.StopAsync();
    }

    [Fact]
    public async Task OnGcp_AServiceWhoseTargetIsTheFunction_GivesItEveryRequest_AsDeployShDeploysIt()
    {
        await using var app = FunctionsApp.Build(GcpPlatform.Instance, builder =>
        {
            builder.Configuration["PORT"] = "0";
            builder.Configuration["FUNCTION_TARGET"] = FunctionsApp.Function;
        });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var data = Convert.ToBase64String("""{"name":"dijkstra"}"""u8);
        using var push = new StringContent($$"""{"message":{"data":"{{data}}","messageId":"m-2"},"subscription":"projects/p/subscriptions/greetings"}""", Encoding.UTF8, "application/json");

        using var answer = await client.PostAsync(new Uri("/", UriKind.Relative), push); // a push subscription posts to the service's URL

        Assert.True(answer.IsSuccessStatusCode, $"push answered {(int)answer.StatusCode}");
        Assert.Equal("gcp", await app.Services.GetRequiredService<GreetingLog>().Seen("dijkstra").WaitAsync(Patience));
        await app.StopAsync();
    }

    [Fact]
    public async Task OnGcp_ADeliveryForAnUnknownFunction_Answers404_WithAProblemDocument()
    {
        await using var app = FunctionsApp.Build(GcpPlatform.Instance, builder => builder.Configuration["PORT"] = "0");
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var answer = await client.PostAsync(new Uri("/_portable/functions/nope", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nope", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task OnAzure_AQueueInvocation_RunsTheQueueFunction_AndForwardedRequestsReachTheApp()
    {
        await using var app = FunctionsApp.Build(AzurePlatform.Instance, builder => builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"] = "0");
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var invocation = new HttpRequestMessage(HttpMethod.Post, "/" + FunctionsApp.Function)
        {
            Content = new StringContent("""{"Data":{"message":"{\"name\":\"liskov\"}"},"Metadata":{"DequeueCount":1}}""", Encoding.UTF8, "application/json"),
        };
        invocation.Headers.Add("X-Azure-Functions-InvocationId", "inv-1");

        using var answer = await client.SendAsync(invocation);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("\"Logs\"", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("azure", await app.Services.GetRequiredService<GreetingLog>().Seen("liskov").WaitAsync(Patience));
        Assert.Equal("pong", await client.GetStringAsync(new Uri("/ping", UriKind.Relative)));
        await app.StopAsync();
    }

    [Fact]
    public async Task OnAzure_WithARoutePrefix_AForwardedRequestReachesTheAppWithThePrefixAsPathBase()
    {
        await using var app = FunctionsApp.Build(AzurePlatform.Instance, builder =>
        {
            builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"] = "0";
            builder.Configuration["Portable:Azure:RoutePrefix"] = "api";
        });
        app.MapGet("/where", (HttpRequest request) => $"{request.PathBase}|{request.Path}");
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Equal("/api|/where", await client.GetStringAsync(new Uri("/api/where", UriKind.Relative)));
        await app.StopAsync();
    }
}
