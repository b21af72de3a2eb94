using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Portable.Local.Logging;

/// <summary>
/// The local host's console: one line per entry, <c>HH:mm:ss info: Category[event] message</c>, as the simple console's single-line
/// form, and inside an invocation the trace and span id of its span at the end (<c>trace=… span=…</c>), taken from the invocation's
/// log scope, so a line a function writes can be matched with its invocation and with an exporter's trace. ASP.NET Core's own
/// request scopes are left out: they would make every line long. An exception follows on the next lines.
/// </summary>
internal sealed class LocalConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    /// <summary>The name the console logger selects this formatter by.</summary>
    public const string FormatterName = "portable-local";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null) return;

        textWriter.Write(DateTimeOffset.Now.ToString("HH:mm:ss ", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write("] ");
        textWriter.Write(message?.ReplaceLineEndings(" "));
        var (traceId, spanId) = InvocationTrace(scopeProvider);
        if (traceId is not null)
        {
            textWriter.Write(" trace=");
            textWriter.Write(traceId);
            textWriter.Write(" span=");
            textWriter.Write(spanId);
        }

        textWriter.Write(Environment.NewLine);
        if (logEntry.Exception is not null) textWriter.WriteLine(logEntry.Exception.ToString());
    }

    /// <summary>The innermost invocation scope's <c>TraceId</c> and <c>SpanId</c>, if the entry is written inside an invocation.</summary>
    internal static (string? TraceId, string? SpanId) InvocationTrace(IExternalScopeProvider? scopeProvider)
    {
        if (scopeProvider is null) return (null, null);
        var found = new Found();
        scopeProvider.ForEachScope(static (scope, found) =>
        {
            if (scope is not IEnumerable<KeyValuePair<string, object?>> values) return;
            string? traceId = null, spanId = null;
            foreach (var (key, value) in values)
            {
                if (key == "TraceId") traceId = value as string;
                else if (key == "SpanId") spanId = value as string;
            }

            // scopes are visited outermost first, so the innermost invocation's ids are the ones kept
            if (traceId is not null && spanId is not null) (found.TraceId, found.SpanId) = (traceId, spanId);
        }, found);
        return (found.TraceId, found.SpanId);
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

    private sealed class Found
    {
        public string? TraceId { get; set; }

        public string? SpanId { get; set; }
    }
}
