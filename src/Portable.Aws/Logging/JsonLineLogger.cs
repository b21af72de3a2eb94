using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Portable.Aws.Logging;

/// <summary>One category's logger of <see cref="JsonLineLoggerFactory"/>.</summary>
/// <remarks>Scopes are not written, except the invocation's (<see cref="InvocationLogScope"/>), whose ids every line inside it carries.</remarks>
internal sealed class JsonLineLogger(JsonLineLoggerFactory factory, string category, LogLevel minimum) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => InvocationLogScope.Begin(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        ArgumentNullException.ThrowIfNull(formatter);
        factory.Write(Format(factory.Now, logLevel, category, formatter(state, exception), LambdaLogScope.RequestId, exception, InvocationLogScope.Current));
    }

    internal static string Format(DateTimeOffset timestamp, LogLevel level, string category, string message, string? requestId, Exception? exception, InvocationLogScope? invocation = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", Level(level));
            json.WriteString("message", message);
            if (requestId is not null) json.WriteString("requestId", requestId);
            if (invocation is not null)
            {
                if (invocation.InvocationId is { } invocationId) json.WriteString("invocationId", invocationId);
                if (invocation.TraceId is { } traceId) json.WriteString("traceId", traceId);
                if (invocation.SpanId is { } spanId) json.WriteString("spanId", spanId);
            }

            json.WriteString("logger", category);
            if (exception is not null)
            {
                json.WriteString("errorType", exception.GetType().FullName);
                json.WriteString("errorMessage", exception.Message);
                json.WriteString("stackTrace", exception.ToString());
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        _ => "FATAL",
    };
}
