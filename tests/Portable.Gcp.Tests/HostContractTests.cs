using System.Net;
using System.Text;
using System.Text.Json;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>The Functions Framework contract, through real Kestrel.</summary>
public sealed class HostContractTests
{
    [Theory]
    [InlineData("/robots.txt")]
    [InlineData("/favicon.ico")]
    public async Task RobotsAndFavicon_Answer404_WithoutInvokingTheFunction(string path)
    {
        await using var host = await RunningGcpHost.StartAsync("echo");
        var response = await host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(host.Recorder.HttpCalls);
    }

    [Theory]
    [InlineData("GET", "/", "")]
    [InlineData("POST", "/a/b", "payload")]
    [InlineData("DELETE", "/orders/42", "")]
    [InlineData("PATCH", "/deep/ly/nested/path", "x")]
    public async Task EveryMethodAndPath_ReachesTheHttpFunctionUnchanged(string method, string path, string body)
    {
        await using var host = await RunningGcpHost.StartAsync("echo", "http");
        var request = new HttpRequestMessage(new HttpMethod(method), path + "?q=v1") { Content = body.Length > 0 ? new StringContent(body) : null };
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"{method} {path} q=v1 body={body} ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostOutsideAContainer_ListensOnLoopbackOnly()
    {
        await using var host = await RunningGcpHost.StartAsync("echo");
        Assert.Equal("127.0.0.1", host.Client.BaseAddress!.Host);
    }

    [Fact]
    public async Task UnhandledError_Answers500WithCrashStatus_AndHidesTheDetail()
    {
        await using var host = await RunningGcpHost.StartAsync("boom");
        var response = await host.Client.GetAsync("/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("crash", Assert.Single(response.Headers.GetValues("X-Google-Status")));
        Assert.DoesNotContain("secret detail", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var again = await host.Client.GetAsync("/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, again.StatusCode);
    }

    [Fact]
    public async Task FailingEventFunction_Answers500WithCrashStatus()
    {
        await using var host = await RunningGcpHost.StartAsync("cloudevent", "cloudevent");
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-id", "1");
        request.Headers.Add("ce-source", "//test");
        request.Headers.Add("ce-type", "test.fail");
        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("crash", Assert.Single(response.Headers.GetValues("X-Google-Status")));
    }

    [Theory]
    [InlineData("not json", "application/json", false)]
    [InlineData("[1,2]", "application/json", false)]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"1\"}", "application/cloudevents+json", false)]
    [InlineData("{}", "application/json", true)]
    public async Task UndecodableEvent_Answers400_AndTheHostKeepsServing(string body, string contentType, bool binaryWithoutId)
    {
        await using var host = await RunningGcpHost.StartAsync("cloudevent");
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        if (binaryWithoutId)
        {
            request.Headers.Add("ce-specversion", "1.0");
            request.Headers.Add("ce-source", "//test");
            request.Headers.Add("ce-type", "t");
        }

        var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Recorder.Events);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/favicon.ico")).StatusCode);
    }

    [Fact]
    public async Task Logs_AreStructuredJson_WithSeverityMessageAndTheTraceparentTrace()
    {
        await using var host = await RunningGcpHost.StartAsync("boom");
        var request = new HttpRequestMessage(HttpMethod.Get, "/boom");
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        await host.Client.SendAsync(request);

        var line = await WaitForLogAsync(host, "\"ERROR\"");
        using var entry = JsonDocument.Parse(line);
        Assert.Equal("ERROR", entry.RootElement.GetProperty("severity").GetString());
        Assert.Contains("boom failed", entry.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("secret detail", entry.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("projects/test-project/traces/4bf92f3577b34da6a3ce929d0e0e4736", entry.RootElement.GetProperty("logging.googleapis.com/trace").GetString());
        // The span of the line is the invocation's own, a child of the header's.
        Assert.Matches("^[0-9a-f]{16}$", entry.RootElement.GetProperty("logging.googleapis.com/spanId").GetString());
        Assert.NotEqual("00f067aa0ba902b7", entry.RootElement.GetProperty("logging.googleapis.com/spanId").GetString());
    }

    [Fact]
    public async Task Logs_TakeTheTraceFromXCloudTraceContext_WhenThereIsNoTraceparent()
    {
        await using var host = await RunningGcpHost.StartAsync("boom");
        var request = new HttpRequestMessage(HttpMethod.Get, "/boom");
        request.Headers.Add("X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/1;o=1");
        await host.Client.SendAsync(request);

        var line = await WaitForLogAsync(host, "\"ERROR\"");
        using var entry = JsonDocument.Parse(line);
        Assert.Equal("projects/test-project/traces/105445aa7843bc8bf206b12000100000", entry.RootElement.GetProperty("logging.googleapis.com/trace").GetString());
        Assert.Matches("^[0-9a-f]{16}$", entry.RootElement.GetProperty("logging.googleapis.com/spanId").GetString());
        Assert.NotEqual("0000000000000001", entry.RootElement.GetProperty("logging.googleapis.com/spanId").GetString());
        Assert.True(entry.RootElement.GetProperty("logging.googleapis.com/trace_sampled").GetBoolean());
    }

    [Fact]
    public async Task Function_SeesTheTraceOfTheRequest()
    {
        await using var host = await RunningGcpHost.StartAsync("echo");
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/7;o=0");
        var text = await (await host.Client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.EndsWith("trace=105445aa7843bc8bf206b12000100000", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_DrainsTheInFlightRequest()
    {
        var host = await RunningGcpHost.StartAsync("slow");
        var inFlight = host.Client.GetAsync("/slow");
        await host.Recorder.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var stopping = host.StopAsync();
        Assert.False(stopping.IsCompleted, "The host stopped while a request was in flight.");
        host.Recorder.SlowGate.SetResult();
        var response = await inFlight;
        await stopping;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("finished", await response.Content.ReadAsStringAsync());
        await host.DisposeAsync();
    }

    [Fact]
    public void Settings_ReadThePlatformVariables()
    {
        var env = new Dictionary<string, string?> { ["PORT"] = "9090", ["FUNCTION_TARGET"] = "Hello", ["FUNCTION_SIGNATURE_TYPE"] = "HTTP", ["K_SERVICE"] = "hello", ["GOOGLE_CLOUD_PROJECT"] = "p1" };
        var settings = GcpSettings.Read([], n => env.GetValueOrDefault(n));
        Assert.Equal(9090, settings.Port);
        Assert.Equal("Hello", settings.Target);
        Assert.Equal("http", settings.SignatureType);
        Assert.True(settings.BindAllAddresses);
        Assert.Equal("p1", settings.ProjectId);
    }

    [Fact]
    public void Settings_DefaultToPort8080OnLoopback_AndTakeTargetFromTheCommandLine()
    {
        var settings = GcpSettings.Read(["--target", "Other"], _ => null);
        Assert.Equal(8080, settings.Port);
        Assert.Equal("Other", settings.Target);
        Assert.False(settings.BindAllAddresses);
        Assert.True(GcpSettings.Read([], n => n == "DOTNET_RUNNING_IN_CONTAINER" ? "true" : null).BindAllAddresses);
    }

    [Theory]
    [InlineData("PORT", "eighty")]
    [InlineData("FUNCTION_SIGNATURE_TYPE", "grpc")]
    public void Settings_RefuseMalformedValues_NamingTheVariable(string name, string value)
    {
        var e = Assert.Throws<PortableConfigurationException>(() => GcpSettings.Read([], n => n == name ? value : null));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingTarget_FailsAtStart_ListingTheFunctions()
    {
        var e = Assert.Throws<PortableConfigurationException>(() => GcpHost.SelectFunction(TestApp.Build(new Recorder()).Catalog, new GcpSettings()));
        Assert.Contains("FUNCTION_TARGET", e.Message, StringComparison.Ordinal);
        Assert.Contains("echo", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo", "cloudevent")]
    [InlineData("echo", "typed")]
    [InlineData("cloudevent", "http")]
    public async Task SignatureTypeThatDoesNotFitTheFunction_FailsAtStart(string target, string signatureType)
    {
        var e = await Assert.ThrowsAsync<PortableConfigurationException>(() => RunningGcpHost.StartAsync(target, signatureType));
        Assert.Contains(signatureType, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Platform_IsDetectedByKServiceOrFunctionTarget()
    {
        Assert.True(GcpPlatform.Instance.IsDetected(n => n == "K_SERVICE" ? "svc" : null));
        Assert.True(GcpPlatform.Instance.IsDetected(n => n == "FUNCTION_TARGET" ? "Hello" : null));
        Assert.False(GcpPlatform.Instance.IsDetected(_ => null));
        Assert.Equal("gcp", GcpPlatform.Instance.Name);
    }

    private static async Task<string> WaitForLogAsync(RunningGcpHost host, string marker)
    {
        for (var i = 0; i < 200; i++)
        {
            var line = host.LogLines.FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal));
            if (line is not null) return line;
            await Task.Delay(25);
        }

        throw new Xunit.Sdk.XunitException("No log line with " + marker + " in:\n" + host.Log);
    }
}
