using Microsoft.Extensions.Hosting;

namespace Portable.OpenTelemetry;

/// <summary>Starts the exporter with the host and flushes it when the host stops.</summary>
internal sealed class OtlpExporterService(OtlpExporter exporter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => exporter.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => exporter.StopAsync(cancellationToken);
}
