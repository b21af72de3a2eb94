namespace Portable.Aws.Runtime;

/// <summary>The body of <c>POST /runtime/invocation/{id}/error</c> and <c>/runtime/init/error</c>.</summary>
/// <param name="ErrorMessage">What went wrong.</param>
/// <param name="ErrorType">The error's type name.</param>
/// <param name="StackTrace">The stack, one frame a line.</param>
internal sealed record ErrorPayload(string ErrorMessage, string ErrorType, IReadOnlyList<string> StackTrace)
{
    public static ErrorPayload From(Exception exception)
    {
        var frames = (exception.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new ErrorPayload(exception.Message, exception.GetType().Name, frames);
    }
}
