using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Portable.Hosting.AspNetCore;

/// <summary>
/// The one-line console of the Kestrel-based hosts: <c>[prefix]info: Category[event] message</c>, the message on one line, then,
/// inside an invocation, its ids as the platform writes them (<see cref="WriteInvocation"/>, from the executor's
/// <see cref="InvocationLogScope"/>); an exception follows on the next lines. Other scopes (ASP.NET Core's request scopes) are
/// left out: they would make every line long.
/// </summary>
/// <param name="name">The name the console logger selects the formatter by.</param>
/// <param name="skipsEmptyMessages">Whether an entry with an empty message and no exception writes nothing (a null message never does).</param>
public abstract class InvocationConsoleFormatter(string name, bool skipsEmptyMessages) : ConsoleFormatter(name)
{
    /// <inheritdoc />
    public sealed override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if ((skipsEmptyMessages ? string.IsNullOrEmpty(message) : message is null) && logEntry.Exception is null) return;
        WritePrefix(textWriter);
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture));
        textWriter.Write("] ");
        textWriter.Write(message?.ReplaceLineEndings(" "));
        if (InvocationLogScope.Find(scopeProvider) is { } invocation) WriteInvocation(invocation, textWriter);
        textWriter.WriteLine();
        if (logEntry.Exception is not null) textWriter.WriteLine(logEntry.Exception.ToString());
    }

    /// <summary>Writes what comes before the level, such as a timestamp; nothing by default.</summary>
    /// <param name="textWriter">The line being written.</param>
    protected virtual void WritePrefix(TextWriter textWriter)
    {
    }

    /// <summary>Writes the invocation's ids at the end of a line written inside it.</summary>
    /// <param name="invocation">The innermost invocation's scope.</param>
    /// <param name="textWriter">The line being written.</param>
    protected abstract void WriteInvocation(InvocationLogScope invocation, TextWriter textWriter);

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
