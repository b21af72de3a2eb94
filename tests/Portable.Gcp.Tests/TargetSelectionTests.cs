using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>Which function an instance serves when <c>FUNCTION_TARGET</c> is not set (issue #13: <c>gcloud run deploy --source</c> sets none).</summary>
public sealed class TargetSelectionTests
{
    [Fact]
    public async Task SingleFunctionApp_StartsWithoutFunctionTarget_AndServesItsFunction()
    {
        var recorder = new Recorder();
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "single";
        builder.AddJson(TestJsonContext.Default);
        builder.Services.AddSingleton(recorder);
        builder.Functions.MapHttp<EchoHttp>("GET /hello", "hello");
        var settings = new GcpSettings { Port = 0, ProjectId = "test-project" };
        Assert.Null(settings.Target);

        await using var web = GcpHost.Build(builder.Build(), settings, logOutput: TextWriter.Null);
        await web.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        var response = await client.GetAsync("/hello?q=ada");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("GET /hello q=ada", Assert.Single(recorder.HttpCalls), StringComparison.Ordinal);
        await web.StopAsync();
    }

    [Fact]
    public void SingleFunctionApp_IsSelected_WhenNoTargetIsSet()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AddJson(TestJsonContext.Default);
        builder.Functions.MapQueue<RecordJob, Job>("jobs", "only");

        Assert.Equal("only", GcpHost.SelectFunction(builder.Build().Catalog, GcpSettings.Read([], _ => null)).Name);
    }

    [Fact]
    public void SeveralFunctions_WithoutTarget_FailWithTheCountAndEveryName()
    {
        var catalog = TestApp.Build(new Recorder()).Catalog;

        var e = Assert.Throws<PortableConfigurationException>(() => GcpHost.SelectFunction(catalog, GcpSettings.Read([], _ => null)));

        Assert.StartsWith("FUNCTION_TARGET is not set", e.Message, StringComparison.Ordinal);
        Assert.Contains($"this app has {catalog.Functions.Count}", e.Message, StringComparison.Ordinal);
        Assert.All(catalog.Functions, f => Assert.Contains(f.Name, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Target_StillWins_InASingleFunctionApp_AndAnUnknownOneIsNamed()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AddJson(TestJsonContext.Default);
        builder.Functions.MapHttp<EchoHttp>("GET /hello", "hello");
        var catalog = builder.Build().Catalog;

        var e = Assert.Throws<PortableConfigurationException>(() => GcpHost.SelectFunction(catalog, new GcpSettings { Target = "other" }));
        Assert.Contains("No function named 'other'", e.Message, StringComparison.Ordinal);
        Assert.Equal("hello", GcpHost.SelectFunction(catalog, new GcpSettings { Target = "HELLO" }).Name);
    }

    [Fact]
    public void AppWithoutFunctions_FailsAtStart_SayingThereIsNothingToServe()
    {
        var e = Assert.Throws<PortableConfigurationException>(() => GcpHost.SelectFunction(PortableApp.CreateBuilder([]).Build().Catalog, new GcpSettings()));
        Assert.Contains("maps no function", e.Message, StringComparison.Ordinal);
    }
}
