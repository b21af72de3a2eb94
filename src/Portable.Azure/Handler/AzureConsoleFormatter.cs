using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Portable.Hosting;

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
        if (InvocationLogScope.Find(scopeProvider) is { } invocation)
        {
            textWriter.Write(" [InvocationId=");
            textWriter.Write(invocation.InvocationId);
            textWriter.Write(" TraceId=");
            textWriter.Write(invocation.TraceId);
            textWriter.Write(" SpanId=");
            textWriter.Write(invocation.SpanId);
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
}
