using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Portable.Azure.Handler;

/// <summary>
/// The custom handler's stdout lines, which the Functions host collects: one line a log entry,
/// <c>info: Category[eventId] message</c>, and inside an invocation its ids as the Functions host and Application Insights name
/// them: <c>[InvocationId=… TraceId=… SpanId=…]</c>. TraceId and SpanId are the W3C ids of the invocation's span (32 and 16 hex
/// digits), which Application Insights shows as <c>operation_Id</c> and <c>operation_ParentId</c>, so a line can be joined to its
/// trace. Taken from the invocation's log scope (<c>FunctionExecutor</c>); an exception follows on the next lines.
/// </summary>
internal sealed class AzureConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "portable-azure";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null) return;
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id);
        textWriter.Write("] ");
        textWriter.Write(message?.ReplaceLineEndings(" "));
        var ids = new InvocationIds();
        scopeProvider?.ForEachScope(static (scope, found) => found.Read(scope), ids);
        if (ids.InvocationId is not null)
        {
            textWriter.Write(" [InvocationId=");
            textWriter.Write(ids.InvocationId);
            if (ids.TraceId is not null)
            {
                textWriter.Write(" TraceId=");
                textWriter.Write(ids.TraceId);
            }

            if (ids.SpanId is not null)
            {
                textWriter.Write(" SpanId=");
                textWriter.Write(ids.SpanId);
            }

            textWriter.Write(']');
        }

        textWriter.WriteLine();
        if (logEntry.Exception is not null) textWriter.WriteLine(logEntry.Exception.ToString());
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    /// <summary>The ids found in the scopes; the innermost invocation scope wins.</summary>
    private sealed class InvocationIds
    {
        public string? InvocationId { get; private set; }

        public string? TraceId { get; private set; }

        public string? SpanId { get; private set; }

        public void Read(object? scope)
        {
            if (scope is not IEnumerable<KeyValuePair<string, object?>> pairs) return;
            string? invocationId = null, traceId = null, spanId = null;
            foreach (var (key, value) in pairs)
            {
                switch (key)
                {
                    case "InvocationId": invocationId = value?.ToString(); break;
                    case "TraceId": traceId = value?.ToString(); break;
                    case "SpanId": spanId = value?.ToString(); break;
                }
            }

            if (invocationId is null) return;
            (InvocationId, TraceId, SpanId) = (invocationId, traceId, spanId);
        }
    }
}
