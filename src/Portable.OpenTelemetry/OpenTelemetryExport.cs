using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.Hosting;
using Portable.OpenTelemetry;

namespace Portable;

/// <summary>
/// Exports a Portable app's traces and metrics over OTLP/HTTP (protobuf) in one line, the same on every platform, with Portable's
/// own small exporter rather than the OpenTelemetry SDK, so that a native binary with export off carries none of it.
/// </summary>
public static class OpenTelemetryExport
{
    /// <summary>The setting that turns export on: the collector's base address, such as <c>http://localhost:4318</c>.</summary>
    public const string EndpointSetting = OtlpSettings.Endpoint;

    /// <summary>
    /// When <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a signal's own endpoint) is set in configuration (environment, appsettings.json or
    /// command line) and <c>OTEL_SDK_DISABLED</c> is not <c>true</c>, exports the spans of the sources <c>Portable</c> and
    /// <c>System.Net.Http</c> and the instruments of the meters of the same names, plus those added in <paramref name="configure"/>,
    /// to that OTLP/HTTP collector as <c>http/protobuf</c>. The other <c>OTEL_*</c> settings of the OpenTelemetry specification apply
    /// (headers, timeouts, compression, service name, resource attributes, batch sizes and delays, metric interval and temporality,
    /// sampler); a value that cannot be used fails the start with the setting's name. On a platform that freezes the process between
    /// invocations (AWS Lambda) everything is sent after each invocation is answered.
    /// </summary>
    /// <remarks>
    /// Adds a hosted service that starts an <c>ActivityListener</c>, a <c>MeterListener</c> and one export thread, and an
    /// <see cref="ITelemetryFlush"/>. When no endpoint is set, nothing is registered and nothing starts.
    /// </remarks>
    /// <param name="builder">The app builder.</param>
    /// <param name="configure">More sources or meters, such as the app's business meter: <c>o =&gt; o.AddMeter("Orders")</c>.</param>
    /// <returns>The builder.</returns>
    public static PortableAppBuilder AddOpenTelemetryExport(this PortableAppBuilder builder, Action<OtlpExportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!OtlpSettings.IsEnabled(builder.Configuration)) return builder;
        var options = new OtlpExportOptions();
        configure?.Invoke(options);
        var serviceName = builder.AppName ?? builder.Environment.ApplicationName;
        var settings = OtlpSettings.Read(builder.Configuration, string.IsNullOrWhiteSpace(serviceName) ? "unknown_service" : serviceName, Version);
        var sources = new NameFilter(options.Sources);
        var meters = new NameFilter(options.Meters);
        builder.Services.TryAddSingleton(services =>
        {
            var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
            var log = new ExportLog(services.GetRequiredService<ILoggerFactory>().CreateLogger(ExportLog.Category), time);
            return new OtlpExporter(settings, sources, meters, new OtlpTransport(log), log, time);
        });
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OtlpExporterService>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ITelemetryFlush, OtlpExporterFlush>());
        return builder;
    }

    private static string Version { get; } =
        typeof(OpenTelemetryExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
