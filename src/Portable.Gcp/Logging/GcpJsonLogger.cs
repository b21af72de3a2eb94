using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portable.Gcp.Http;

namespace Portable.Gcp.Logging;

/// <summary>One category's logger for <see cref="GcpJsonLoggerProvider"/>.</summary>
internal sealed class GcpJsonLogger(string category, GcpJsonLoggerProvider provider) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => provider.Scopes.Push(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel)) return;
        var message = formatter(state, exception);
        if (exception is not null) message = string.IsNullOrEmpty(message) ? exception.ToString() : message + "\n" + exception;

        string? traceId = null, spanId = null, invocationId = null, functionName = null;
        var sampled = false;
        provider.Scopes.ForEachScope((scope, _) =>
        {
            if (scope is not IEnumerable<KeyValuePair<string, object?>> pairs) return;
            foreach (var (key, value) in pairs)
            {
                switch (key)
                {
                    case TraceScope.TraceIdKey: traceId = value as string; break;
                    case TraceScope.SpanIdKey: spanId = value as string; break;
                    case TraceScope.SampledKey: sampled = value is true; break;
                    case "InvocationId": invocationId = value as string; break;
                    case "FunctionName": functionName = value as string; break;
                }
            }
        }, (object?)null);

        // Inside an invocation the innermost TraceId/SpanId are the invocation span's (the executor's scope); its sampled flag is
        // the span's own, which may differ from the flag of the request that carried it (a push of a message from another trace).
        if (traceId is not null && Activity.Current is { IdFormat: ActivityIdFormat.W3C } current && current.TraceId.ToHexString() == traceId)
        {
            sampled = current.Recorded;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("severity", Severity(logLevel));
            json.WriteString("message", message);
            if (traceId is not null)
            {
                json.WriteString("logging.googleapis.com/trace", provider.ProjectId is { } project ? $"projects/{project}/traces/{traceId}" : traceId);
                if (spanId is not null) json.WriteString("logging.googleapis.com/spanId", spanId);
                json.WriteBoolean("logging.googleapis.com/trace_sampled", sampled);
            }

            json.WriteStartObject("logging.googleapis.com/labels");
            json.WriteString("category", category);
            if (functionName is not null) json.WriteString("function", functionName);
            if (invocationId is not null) json.WriteString("invocationId", invocationId);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        provider.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    internal static string Severity(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };
}
