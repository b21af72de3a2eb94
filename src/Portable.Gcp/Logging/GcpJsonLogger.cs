using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portable.Gcp.Http;
using Portable.Hosting;

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

        // Inside an invocation its scope's ids (the invocation's span); outside one, the request's (GcpFunctionHandler's TraceScope).
        string? traceId = null, spanId = null, invocationId = null, functionName = null;
        var sampled = false;
        if (InvocationLogScope.Find(provider.Scopes) is { } invocation)
        {
            (traceId, spanId, sampled, invocationId, functionName) = (invocation.TraceId, invocation.SpanId, invocation.Sampled, invocation.InvocationId, invocation.FunctionName);
        }
        else if (TraceScope.Find(provider.Scopes) is { } request)
        {
            (traceId, spanId, sampled) = (request.TraceId, request.ParentId, request.IsSampled);
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
