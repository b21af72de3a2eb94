using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Portable.OpenTelemetry.Tests;

/// <summary>Builds Portable's exporter straight from <c>OTEL_*</c> settings, with a log that keeps its lines.</summary>
internal static class ExporterFixture
{
    public static OtlpSettings Settings(params (string Key, string? Value)[] values) => OtlpSettings.Read(Configuration(values), "fixture-service", "1.2.3");

    public static IConfiguration Configuration(params (string Key, string? Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    public static OtlpExporter Exporter(OtlpSettings settings, ListLogger logger, string[]? sources = null, string[]? meters = null)
    {
        var log = new ExportLog(logger, TimeProvider.System);
        return new OtlpExporter(settings, new NameFilter(sources ?? ["Portable"]), new NameFilter(meters ?? ["Portable"]), new OtlpTransport(log), log, TimeProvider.System);
    }

    public static OtlpTransport Transport(ListLogger logger) => new(new ExportLog(logger, TimeProvider.System));
}

/// <summary>An ILogger that keeps every line, for asserting what the exporter said.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly Lock _lock = new();
    private readonly List<(LogLevel Level, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get { lock (_lock) return [.. _lines]; }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lock) _lines.Add((logLevel, formatter(state, exception)));
    }
}
