using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portable.Contracts.Otlp;
using Portable.Hosting;
using Portable.Local;

namespace Portable.OpenTelemetry.Tests;

/// <summary>
/// <c>AddOpenTelemetryExport</c>: nothing at all without <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; with it, an invocation's span and the
/// Portable metrics reach an OTLP/HTTP receiver; a setting it cannot use stops the start with the setting's name.
/// </summary>
[Collection(ListenerCollection.Name)]
public sealed class OpenTelemetryExportTests
{
    [Fact]
    public void WithoutAnEndpoint_NoExporterHostedServiceOrFlushIsRegistered()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.Configuration[OpenTelemetryExport.EndpointSetting] = null;
        var before = builder.Services.Count;

        builder.AddOpenTelemetryExport(o => o.AddMeter("Orders"));

        Assert.Equal(before, builder.Services.Count);
        using var services = builder.Services.BuildServiceProvider();
        Assert.Null(services.GetService<OtlpExporter>());
        Assert.Empty(services.GetServices<ITelemetryFlush>());
        Assert.DoesNotContain(services.GetServices<IHostedService>(), s => s is OtlpExporterService);
    }

    [Fact]
    public void WithAnEndpointButOtelSdkDisabled_NothingIsRegistered()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.Configuration[OpenTelemetryExport.EndpointSetting] = "http://127.0.0.1:4318";
        builder.Configuration["OTEL_SDK_DISABLED"] = "true";
        var before = builder.Services.Count;

        builder.AddOpenTelemetryExport();

        Assert.Equal(before, builder.Services.Count);
    }

    [Fact]
    public void WithAnEndpoint_TheExporterItsHostedServiceAndTheFlushAreRegistered()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.Configuration[OpenTelemetryExport.EndpointSetting] = "http://127.0.0.1:4318";

        builder.AddOpenTelemetryExport();

        Assert.Contains(builder.Services, d => d.ServiceType == typeof(OtlpExporter));
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(OtlpExporterService));
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(ITelemetryFlush) && d.ImplementationType == typeof(OtlpExporterFlush));
    }

    [Theory]
    [InlineData("localhost:4318")]
    [InlineData("ftp://collector:4318")]
    [InlineData("not a url")]
    public void AnEndpointThatIsNotAnHttpAddress_StopsTheStart_NamingTheSetting(string endpoint)
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.Configuration[OpenTelemetryExport.EndpointSetting] = endpoint;

        var error = Assert.Throws<PortableConfigurationException>(() => builder.AddOpenTelemetryExport());

        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", error.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AProtocolOtherThanHttpProtobuf_StopsTheStart_NamingTheSettingAndPort4318()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.Configuration[OpenTelemetryExport.EndpointSetting] = "http://127.0.0.1:4318";
        builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/json";

        var error = Assert.Throws<PortableConfigurationException>(() => builder.AddOpenTelemetryExport());

        Assert.Contains("OTEL_EXPORTER_OTLP_PROTOCOL", error.Message, StringComparison.Ordinal);
        Assert.Contains("http/json", error.Message, StringComparison.Ordinal);
        Assert.Contains("4318", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAnEndpoint_AnInvocationsSpan_ItsHttpClientSpan_AndThePortableAndAppMetrics_ReachTheReceiver()
    {
        await using var otlp = await OtlpReceiver.StartAsync();
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "otel-export-tests";
        builder.Configuration[OpenTelemetryExport.EndpointSetting] = otlp.Endpoint;
        builder.Services.AddSingleton<Counted>();
        builder.Functions.MapHttp<Ping>("GET /ping");
        builder.AddOpenTelemetryExport(o => o.AddMeter(Counted.MeterName));
        await using var web = LocalHost.Build(builder.Build(), configureOptions: o =>
        {
            o.Port = 0;
            o.InMemory = true;
            o.RunSchedules = false;
        });
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ping");
        request.Headers.Add("traceparent", "00-5bd66ef5095369c7b0d1f8f4bd33716a-c532cb4098ac3dd2-01");

        (await client.SendAsync(request)).EnsureSuccessStatusCode();
        Assert.True(web.Services.GetRequiredService<ITelemetryFlush>().Flush(TimeSpan.FromSeconds(10)));

        var spans = await otlp.WaitForSpansAsync(s => s.Any(x => x.Name == "Ping"), TimeSpan.FromSeconds(30));
        var ping = spans.Single(s => s.Name == "Ping");
        Assert.Equal("5bd66ef5095369c7b0d1f8f4bd33716a", ping.TraceId);
        Assert.Equal("c532cb4098ac3dd2", ping.ParentSpanId);
        Assert.Equal(ActivityKind.Server, ping.Kind);
        Assert.Equal("http", ping.Attribute("faas.trigger"));
        Assert.Equal("otel-export-tests", ping.Resource["service.name"]);
        var metrics = await otlp.WaitForMetricsAsync(
            m => new[] { "faas.invocations", "faas.invoke_duration", Counted.InstrumentName }.All(name => m.Any(x => x.Name == name)), TimeSpan.FromSeconds(30));
        Assert.Contains(metrics, m => m.Name == "faas.invocations" && m.DataPoints.Any(p => p.Attribute("faas.invoked_name") == "Ping" && p.Value >= 1));
        Assert.Contains(metrics, m => m.Name == Counted.InstrumentName && m.DataPoints.Any(p => p.Value >= 1));
        Assert.Empty(otlp.Errors);
        await web.StopAsync();
    }

    /// <summary>An app's own meter, from the IMeterFactory of DI, as the sample's orders.placed is.</summary>
    public sealed class Counted(IMeterFactory meters)
    {
        public const string MeterName = "OtelExportTests";
        public const string InstrumentName = "pings.answered";

        public Counter<long> Answered { get; } = meters.Create(MeterName).CreateCounter<long>(InstrumentName);
    }

    public sealed class Ping(Counted counted) : IHttpFunction
    {
        public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        {
            counted.Answered.Add(1);
            return Task.FromResult(HttpResponseData.Text(200, "pong"));
        }
    }
}
