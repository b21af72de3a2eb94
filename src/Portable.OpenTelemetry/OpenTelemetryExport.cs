using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Portable.Hosting;

namespace Portable;

/// <summary>Wires OpenTelemetry's SDK and OTLP exporter for a Portable app in one line, the same on every platform.</summary>
public static class OpenTelemetryExport
{
    /// <summary>The setting that turns export on: the collector's base address, such as <c>http://localhost:4318</c>.</summary>
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// When <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (environment, appsettings.json or command line), exports the app's traces
    /// (the <c>Portable</c> source: every invocation, send and publish; and <c>System.Net.Http</c>: the functions' HttpClient calls)
    /// and metrics (the <c>Portable</c> meter and <c>System.Net.Http</c>'s) with OTLP, as <c>http/protobuf</c> unless
    /// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> says <c>grpc</c>. The service name is the app's name unless <c>OTEL_SERVICE_NAME</c> is set;
    /// the other <c>OTEL_*</c> settings (headers, timeouts, export intervals, resource attributes, sampler) apply as the SDK documents.
    /// On a platform that freezes the process between invocations (AWS Lambda) everything is flushed after each invocation is answered.
    /// When the endpoint is not set, nothing is registered: no SDK starts and the cold start is unchanged.
    /// </summary>
    /// <param name="builder">The app builder.</param>
    /// <param name="tracing">More trace sources or instrumentation, such as <c>t =&gt; t.AddSource("MyCompany.Billing")</c>.</param>
    /// <param name="metrics">More meters, such as the app's business meter: <c>m =&gt; m.AddMeter("Orders")</c>.</param>
    /// <returns>The builder.</returns>
    public static PortableAppBuilder AddOpenTelemetryExport(this PortableAppBuilder builder, Action<TracerProviderBuilder>? tracing = null, Action<MeterProviderBuilder>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var endpoint = builder.Configuration[EndpointSetting];
        if (string.IsNullOrWhiteSpace(endpoint)) return builder;
        if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new PortableConfigurationException($"{EndpointSetting} is '{endpoint}': it must be an absolute http or https address, such as http://localhost:4318.");
        }

        var protocol = builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"]?.Trim() switch
        {
            null or "" or "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            "grpc" => OtlpExportProtocol.Grpc,
            var other => throw new PortableConfigurationException($"OTEL_EXPORTER_OTLP_PROTOCOL is '{other}': use http/protobuf (the default) or grpc."),
        };

        var serviceName = string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]) ? builder.AppName ?? builder.Environment.ApplicationName : null;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (serviceName is not null) resource.AddService(serviceName);
            })
            .WithTracing(t =>
            {
                t.AddSource(PortableTelemetry.Name, "System.Net.Http");
                tracing?.Invoke(t);
                t.AddOtlpExporter(o => Configure(o, protocol, baseUrl, "v1/traces"));
            })
            .WithMetrics(m =>
            {
                m.AddMeter(PortableTelemetry.Name, "System.Net.Http");
                metrics?.Invoke(m);
                m.AddOtlpExporter(o => Configure(o, protocol, baseUrl, "v1/metrics"));
            });
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ITelemetryFlush, ProviderFlush>());
        return builder;
    }

    /// <summary>
    /// One exporter per signal rather than <c>UseOtlpExporter</c>, which also brings the SDK's logging pipeline into every native
    /// binary: its types cost each cold start time even when export is off. Over http/protobuf the signal's path is appended here.
    /// </summary>
    private static void Configure(OtlpExporterOptions options, OtlpExportProtocol protocol, Uri baseUrl, string signalPath)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.Grpc ? baseUrl : new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
    }

    /// <summary>Flushes the SDK's tracer and meter providers.</summary>
    private sealed class ProviderFlush(IServiceProvider services) : ITelemetryFlush
    {
        public bool Flush(TimeSpan timeout)
        {
            var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
            var traces = services.GetService<TracerProvider>()?.ForceFlush(milliseconds) ?? true;
            var metrics = services.GetService<MeterProvider>()?.ForceFlush(milliseconds) ?? true;
            return traces && metrics;
        }
    }
}
