using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Azure.Handler;

/// <summary>
/// The custom handler's stdout lines, which the Functions host collects: one line a log entry,
/// <c>info: Category[eventId] message</c>, and inside an invocation its ids as the Functions host and Application Insights name
/// them: <c>[InvocationId=… TraceId=… SpanId=…]</c>. TraceId and SpanId are the W3C ids of the invocation's span (32 and 16 hex
/// digits), which Application Insights shows as <c>operation_Id</c> and <c>operation_ParentId</c>, so a line can be joined to its
/// trace. Taken from the invocation's log scope (<c>FunctionExecutor</c>); an exception follows on the next lines.
/// </summary>
internal sealed class AzureConsoleFormatter() : InvocationConsoleFormatter(FormatterName, skipsEmptyMessages: true)
{
    public const string FormatterName = "portable-azure";

    protected override void WriteInvocation(InvocationLogScope invocation, TextWriter textWriter)
    {
        textWriter.Write(" [InvocationId=");
        textWriter.Write(invocation.InvocationId);
        textWriter.Write(" TraceId=");
        textWriter.Write(invocation.TraceId);
        textWriter.Write(" SpanId=");
        textWriter.Write(invocation.SpanId);
        textWriter.Write(']');
    }
}
