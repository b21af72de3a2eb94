using static Portable.OpenTelemetry.Tests.ExporterFixture;

namespace Portable.OpenTelemetry.Tests;

/// <summary>The OTEL_* settings read as the OpenTelemetry specification defines them; a bad value stops the start naming the setting.</summary>
public sealed class OtlpSettingsTests
{
    [Fact]
    public void TheBaseEndpoint_GetsEachSignalsPath_AndTheSpecificationsDefaults()
    {
        var settings = Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"));

        Assert.Equal("http://collector:4318/v1/traces", settings.Traces!.Endpoint.AbsoluteUri);
        Assert.Equal("http://collector:4318/v1/metrics", settings.Metrics!.Endpoint.AbsoluteUri);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Traces.Timeout);
        Assert.False(settings.Traces.Gzip);
        Assert.Equal(TimeSpan.FromMilliseconds(5000), settings.ScheduleDelay);
        Assert.Equal(2048, settings.MaxQueueSize);
        Assert.Equal(512, settings.MaxExportBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(60000), settings.MetricInterval);
        Assert.Equal(TemporalityPreference.Cumulative, settings.Temporality);
        Assert.Equal("fixture-service", settings.Resource.Single(a => a.Key == "service.name").Value);
        Assert.Equal("portable", settings.Resource.Single(a => a.Key == "telemetry.sdk.name").Value);
        Assert.Equal("dotnet", settings.Resource.Single(a => a.Key == "telemetry.sdk.language").Value);
    }

    [Fact]
    public void ASignalsOwnEndpoint_IsUsedAsIs_AndItsOwnSettingsWinOverTheGeneralOnes()
    {
        var settings = Settings(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces.example/custom/path"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "api-key=general"),
            ("OTEL_EXPORTER_OTLP_METRICS_HEADERS", "api-key=metrics%20only,tenant=a%2Cb"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "2500"),
            ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "700"),
            ("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"),
            ("OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", "none"));

        Assert.Equal("https://traces.example/custom/path", settings.Traces!.Endpoint.AbsoluteUri);
        Assert.Equal("http://collector:4318/v1/metrics", settings.Metrics!.Endpoint.AbsoluteUri);
        Assert.Equal([new("api-key", "general")], settings.Traces.Headers);
        Assert.Equal([new("api-key", "metrics only"), new("tenant", "a,b")], settings.Metrics.Headers);
        Assert.Equal(TimeSpan.FromMilliseconds(700), settings.Traces.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), settings.Metrics.Timeout);
        Assert.True(settings.Traces.Gzip);
        Assert.False(settings.Metrics.Gzip);
    }

    [Fact]
    public void OnlyATracesEndpoint_ExportsTracesAndNoMetrics()
    {
        var settings = Settings(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces"));

        Assert.NotNull(settings.Traces);
        Assert.Null(settings.Metrics);
    }

    [Fact]
    public void TheServiceName_ComesFromOtelServiceName_ThenResourceAttributes_ThenTheApp()
    {
        var named = Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), ("OTEL_SERVICE_NAME", "orders"), ("OTEL_RESOURCE_ATTRIBUTES", "service.name=ignored,deployment.environment.name=prod%20eu,team=a"));
        var fromAttributes = Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), ("OTEL_RESOURCE_ATTRIBUTES", "service.name=billing"));

        Assert.Equal("orders", named.Resource.Single(a => a.Key == "service.name").Value);
        Assert.Equal("prod eu", named.Resource.Single(a => a.Key == "deployment.environment.name").Value);
        Assert.Equal("a", named.Resource.Single(a => a.Key == "team").Value);
        Assert.Equal("billing", fromAttributes.Resource.Single(a => a.Key == "service.name").Value);
    }

    [Fact]
    public void BatchIntervalAndTemporalitySettings_AreRead()
    {
        var settings = Settings(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"),
            ("OTEL_BSP_SCHEDULE_DELAY", "200"),
            ("OTEL_BSP_MAX_QUEUE_SIZE", "10"),
            ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "4"),
            ("OTEL_BSP_EXPORT_TIMEOUT", "900"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "1500"),
            ("OTEL_METRIC_EXPORT_TIMEOUT", "800"),
            ("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "Delta"));

        Assert.Equal(TimeSpan.FromMilliseconds(200), settings.ScheduleDelay);
        Assert.Equal(10, settings.MaxQueueSize);
        Assert.Equal(4, settings.MaxExportBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(900), settings.ExportTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.MetricInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(800), settings.MetricTimeout);
        Assert.Equal(TemporalityPreference.Delta, settings.Temporality);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "4318")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", "4318")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc", "4318")]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "collector:4318", "http")]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "novalue", "key=value")]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT", "ten", "milliseconds")]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT", "0", "milliseconds")]
    [InlineData("OTEL_EXPORTER_OTLP_COMPRESSION", "brotli", "gzip")]
    [InlineData("OTEL_BSP_SCHEDULE_DELAY", "-5", "milliseconds")]
    [InlineData("OTEL_BSP_MAX_QUEUE_SIZE", "0", "at least 1")]
    [InlineData("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "5000", "OTEL_BSP_MAX_QUEUE_SIZE")]
    [InlineData("OTEL_METRIC_EXPORT_INTERVAL", "1.5", "milliseconds")]
    [InlineData("OTEL_TRACES_SAMPLER", "sometimes", "parentbased_always_on")]
    [InlineData("OTEL_TRACES_SAMPLER_ARG", "1.5", "probability")]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "both", "lowmemory")]
    [InlineData("OTEL_RESOURCE_ATTRIBUTES", "=x", "key=value")]
    public void ABadValue_StopsTheStart_NamingTheSettingAndTheValue(string name, string value, string hint)
    {
        var values = new List<(string, string?)> { ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), (name, value) };
        if (name == "OTEL_TRACES_SAMPLER_ARG") values.Add(("OTEL_TRACES_SAMPLER", "traceidratio"));

        var error = Assert.Throws<PortableConfigurationException>(() => Settings([.. values]));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HttpProtobuf_IsAccepted()
    {
        var settings = Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));

        Assert.NotNull(settings.Traces);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector.example:4318")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://collector.example/v1/traces")]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "https://collector.example/v1/metrics")]
    public void AnHttpsEndpoint_InABuildWithoutTls_StopsTheStart_NamingTheSettingAndTheProperty(string name, string value)
    {
        var configuration = Configuration((name, value));

        var error = Assert.Throws<PortableConfigurationException>(() => OtlpSettings.Read(configuration, "fixture-service", "1.2.3", https: false));

        Assert.Contains($"{name} is '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no TLS for the OTLP exporter", error.Message, StringComparison.Ordinal);
        Assert.Contains("<PortableOtlpHttps>true</PortableOtlpHttps>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnHttpEndpoint_InABuildWithoutTls_AndAnHttpsEndpoint_InABuildWithIt_AreAccepted()
    {
        var plain = OtlpSettings.Read(Configuration(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")), "s", "1", https: false);
        var secure = OtlpSettings.Read(Configuration(("OTEL_EXPORTER_OTLP_ENDPOINT", "https://c:4318")), "s", "1", https: true);

        Assert.Equal("http://c:4318/v1/traces", plain.Traces!.Endpoint.AbsoluteUri);
        Assert.Equal("https://c:4318/v1/traces", secure.Traces!.Endpoint.AbsoluteUri);
    }

    [Fact]
    public void TheHttpsSwitch_IsOn_WhenTheAppDoesNotSetIt()
    {
        Assert.False(AppContext.TryGetSwitch(OtlpHttps.Switch, out _));
        Assert.True(OtlpHttps.IsSupported);
    }

    [Fact]
    public void AHeaderWithALineBreak_StopsTheStart_NamingTheSetting()
    {
        var error = Assert.Throws<PortableConfigurationException>(() => Settings(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), ("OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%0D%0AX-Injected: 1")));

        Assert.Contains("OTEL_EXPORTER_OTLP_HEADERS", error.Message, StringComparison.Ordinal);
        Assert.Contains("api-key", error.Message, StringComparison.Ordinal);
    }
}
