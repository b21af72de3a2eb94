using Microsoft.Extensions.Logging;

namespace Portable.Aws.Logging;

/// <summary>
/// Writes every log entry as one JSON line on standard output, the structured format CloudWatch Logs reads for Lambda
/// (<c>timestamp</c>, <c>level</c>, <c>message</c>, <c>requestId</c>, inside an invocation its <c>invocationId</c> and W3C
/// <c>traceId</c>/<c>spanId</c>, <c>logger</c>, and the exception when there is one).
/// The default level comes from <c>AWS_LAMBDA_LOG_LEVEL</c> (Lambda's advanced logging controls), else the configuration's
/// <c>Logging:LogLevel:Default</c>, else Information; <c>Logging:LogLevel:{Category}</c> sets a category (and those under it,
/// the longest prefix winning), as the generic host's console logger reads them. Each logger's level is fixed when it is created.
/// </summary>
internal sealed class JsonLineLoggerFactory(TextWriter output, LogLevel minimum, TimeProvider time, IReadOnlyDictionary<string, LogLevel>? categories = null) : ILoggerFactory
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

    /// <summary>The default level and the category levels of the settings: <c>AWS_LAMBDA_LOG_LEVEL</c> wins over <c>Logging:LogLevel:Default</c>.</summary>
    public static (LogLevel Default, Dictionary<string, LogLevel> Categories) LevelsFrom(string? awsLevel, IEnumerable<KeyValuePair<string, string?>> logLevels)
    {
        var categories = new Dictionary<string, LogLevel>(StringComparer.OrdinalIgnoreCase);
        LogLevel? configuredDefault = null;
        foreach (var (name, value) in logLevels)
        {
            if (!Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level)) continue;
            if (string.Equals(name, "Default", StringComparison.OrdinalIgnoreCase)) configuredDefault = level;
            else categories[name] = level;
        }

        var fallback = string.IsNullOrWhiteSpace(awsLevel) ? configuredDefault ?? LogLevel.Information : LevelFrom(awsLevel);
        return (fallback, categories);
    }

    public ILogger CreateLogger(string categoryName) => new JsonLineLogger(this, categoryName, LevelOf(categoryName));

    /// <summary>The level of the longest configured category prefix of <paramref name="category"/>, else the default.</summary>
    internal LogLevel LevelOf(string category)
    {
        if (categories is null || categories.Count == 0) return minimum;
        var level = minimum;
        var longest = -1;
        foreach (var (prefix, value) in categories)
        {
            if (prefix.Length > longest && category.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && (category.Length == prefix.Length || category[prefix.Length] == '.'))
            {
                level = value;
                longest = prefix.Length;
            }
        }

        return level;
    }

    public void AddProvider(ILoggerProvider provider)
    {
        // One sink only: Lambda reads standard output.
    }

    public void Dispose()
    {
    }

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
