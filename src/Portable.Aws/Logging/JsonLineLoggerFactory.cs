using Microsoft.Extensions.Logging;

namespace Portable.Aws.Logging;

/// <summary>
/// Writes every log entry as one JSON line on standard output, the structured format CloudWatch Logs reads for Lambda
/// (<c>timestamp</c>, <c>level</c>, <c>message</c>, <c>requestId</c>, <c>logger</c>, and the exception when there is one).
/// The level comes from <c>AWS_LAMBDA_LOG_LEVEL</c> (Lambda's advanced logging controls), Information by default.
/// </summary>
internal sealed class JsonLineLoggerFactory(TextWriter output, LogLevel minimum, TimeProvider time) : ILoggerFactory
{
    private readonly Lock _gate = new();

    public static LogLevel LevelFrom(string? setting) => setting?.Trim().ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "FATAL" or "CRITICAL" => LogLevel.Critical,
        _ => LogLevel.Information,
    };

    public ILogger CreateLogger(string categoryName) => new JsonLineLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
        // One sink only: Lambda reads standard output.
    }

    public void Dispose()
    {
    }

    internal bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= minimum;

    internal void Write(string line)
    {
        lock (_gate)
        {
            output.Write(line);
            output.Write('\n');
            output.Flush();
        }
    }

    internal DateTimeOffset Now => time.GetUtcNow();
}
