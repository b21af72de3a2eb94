using Microsoft.Extensions.Logging;

namespace Portable.Testing.Tests;

/// <summary>Logs a greeting with a named value and answers its invocation id; fails for <c>?name=boom</c>.</summary>
public sealed partial class Greeter : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        var name = request.Query["name"] ?? "nobody";
        if (name == "boom") throw new InvalidOperationException("the greeter broke");
        LogGreeting(context.Logger, name);
        return Task.FromResult(HttpResponseData.Text(200, context.InvocationId));
    }

    [LoggerMessage(7, LogLevel.Information, "Greeting {Name}")]
    private static partial void LogGreeting(ILogger logger, string name);
}
