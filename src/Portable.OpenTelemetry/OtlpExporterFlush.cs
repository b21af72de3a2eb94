using Portable.Hosting;

namespace Portable.OpenTelemetry;

/// <summary>The exporter's flush, called by a platform that freezes the process between invocations.</summary>
internal sealed class OtlpExporterFlush(OtlpExporter exporter) : ITelemetryFlush
{
    public bool Flush(TimeSpan timeout) => exporter.Flush(timeout);
}
