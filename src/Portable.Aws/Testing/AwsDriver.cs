using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Aws.Events;
using Portable.Aws.Runtime;
using Portable.Hosting;

namespace Portable.Testing;

/// <summary>
/// Hands real AWS Lambda events (API Gateway, ALB, function URL, SQS, SNS, EventBridge, S3, or plain JSON) to a function
/// through the AWS adapter's event mapping, in memory, and returns the payload the adapter would post to the Runtime API.
/// The function runs on the test host's services.
/// </summary>
public sealed class AwsDriver
{
    private readonly AwsEventDispatcher _dispatcher;
    private int _next;

    internal AwsDriver(IPortableTestHost host)
    {
        var executor = new FunctionExecutor("aws", host.Services, host.App.TimeProvider);
        _dispatcher = new AwsEventDispatcher(
            host.App.Catalog,
            executor,
            new HttpDispatcher(host.App.Catalog, executor, host.Services.GetService<ILogger<HttpDispatcher>>()),
            host.Services.GetService<ILogger<AwsEventDispatcher>>());
    }

    /// <summary>Invokes a function with an event, as Lambda would with <c>_HANDLER</c> set to its name.</summary>
    /// <param name="function">The function name.</param>
    /// <param name="eventJson">The event, as Lambda sends it.</param>
    /// <param name="deadline">The invocation deadline; none when null.</param>
    /// <param name="traceHeader">The X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>), if any.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The response payload as text: the HTTP response in the event source's shape, the SQS <c>batchItemFailures</c>, a typed function's output, or empty.</returns>
    /// <exception cref="InvalidInputException">The event cannot be read (the adapter posts it as an invocation error).</exception>
    public async Task<string> InvokeAsync(string function, string eventJson, DateTimeOffset? deadline = null, string? traceHeader = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventJson);
        var invocation = new LambdaInvocation
        {
            RequestId = $"test-{Interlocked.Increment(ref _next)}",
            Payload = Encoding.UTF8.GetBytes(eventJson),
            Deadline = deadline,
            TraceHeader = traceHeader,
        };
        var output = await _dispatcher.DispatchAsync(_dispatcher.Catalog.Get(function), invocation, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(output.Span);
    }

    /// <summary>Invokes a queue or topic function with an SQS event and returns the ids in its <c>batchItemFailures</c>.</summary>
    /// <param name="function">The function name.</param>
    /// <param name="sqsEventJson">The SQS event.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The message ids of the failed records, in order.</returns>
    public async Task<IReadOnlyList<string>> InvokeSqsAsync(string function, string sqsEventJson, CancellationToken cancellationToken = default)
    {
        var response = await InvokeAsync(function, sqsEventJson, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(response);
        return [.. document.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!)];
    }
}
