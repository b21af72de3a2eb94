using System.Globalization;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Local.Logging;

/// <summary>
/// The local host's console: one line per entry, <c>HH:mm:ss info: Category[event] message</c>, as the simple console's single-line
/// form, and inside an invocation the trace and span id of its span at the end (<c>trace=… span=…</c>), so a line a function writes
/// can be matched with its invocation and with an exporter's trace. An exception follows on the next lines.
/// </summary>
internal sealed class LocalConsoleFormatter() : InvocationConsoleFormatter(FormatterName, skipsEmptyMessages: false)
{
    /// <summary>The name the console logger selects this formatter by.</summary>
    public const string FormatterName = "portable-local";

    protected override void WritePrefix(TextWriter textWriter)
        => textWriter.Write(DateTimeOffset.Now.ToString("HH:mm:ss ", CultureInfo.InvariantCulture));

    protected override void WriteInvocation(InvocationLogScope invocation, TextWriter textWriter)
    {
        textWriter.Write(" trace=");
        textWriter.Write(invocation.TraceId);
        textWriter.Write(" span=");
        textWriter.Write(invocation.SpanId);
    }
}
