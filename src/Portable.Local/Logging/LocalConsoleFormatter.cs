using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Portable.Hosting;

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
        if (InvocationLogScope.Find(scopeProvider) is { } invocation)
        {
            textWriter.Write(" trace=");
            textWriter.Write(invocation.TraceId);
            textWriter.Write(" span=");
            textWriter.Write(invocation.SpanId);
        }

        textWriter.Write(Environment.NewLine);
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
}
