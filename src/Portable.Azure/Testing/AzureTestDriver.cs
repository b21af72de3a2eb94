using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Azure;
using Portable.Azure.Bindings;
using Portable.Hosting;

namespace Portable.Testing;

/// <summary>
/// Hands Azure Functions custom-handler payloads (<c>{"Data":…,"Metadata":…}</c>) to the app's functions in memory, through the
/// Azure adapter's own invocation code, as the Functions host's <c>POST /{FunctionName}</c> would. The functions run with the
/// test host's services (its in-memory repository, queues and recording notifier). Made by <see cref="AzureTestHostExtensions.Azure"/>.
/// </summary>
public sealed class AzureTestDriver
{
    private readonly CustomHandlerInvoker _invoker;

    internal AzureTestDriver(IPortableTestHost host)
    {
        var services = host.Services;
        var executor = new FunctionExecutor("azure", services, host.App.TimeProvider);
        var loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var dispatcher = new HttpDispatcher(host.App.Catalog, executor, loggers.CreateLogger<HttpDispatcher>());
        _invoker = new CustomHandlerInvoker(host.App.Catalog, executor, dispatcher, new AzureOptions(), host.App.TimeProvider, loggers.CreateLogger<CustomHandlerInvoker>());
    }

    /// <summary>Invokes a function with a custom-handler payload.</summary>
    /// <param name="functionName">The function, as the host names it in <c>POST /{FunctionName}</c>.</param>
    /// <param name="payload">The payload JSON, such as a queue trigger's <c>{"Data":{"message":"…"},"Metadata":{"DequeueCount":1,…}}</c>.</param>
    /// <param name="invocationId">The <c>X-Azure-Functions-InvocationId</c> header; a new id when null.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The handler's answer: its status, <c>Outputs</c>, <c>Logs</c> and <c>ReturnValue</c>.</returns>
    public async Task<AzureInvocationResult> InvokeAsync(string functionName, string payload, string? invocationId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        ArgumentNullException.ThrowIfNull(payload);
        var response = await _invoker.InvokeAsync(functionName, Encoding.UTF8.GetBytes(payload), new HandlerCall(invocationId), cancellationToken).ConfigureAwait(false);
        return AzureInvocationResult.Parse(response.StatusCode, response.Body);
    }

    /// <summary>Builds the payload the host sends for an HTTP trigger it does not forward: <c>{"Data":{"req":{…}},"Metadata":{}}</c>.</summary>
    /// <param name="method">The method, such as <c>POST</c>.</param>
    /// <param name="url">The URL as the host received it, with the route prefix if one is configured: <c>https://app.azurewebsites.net/orders</c>.</param>
    /// <param name="body">The body text (sent as <c>Content-Type: application/json</c>), or null.</param>
    /// <returns>The payload JSON.</returns>
    public static string HttpPayload(string method, string url, string? body = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(url);
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("Data");
            json.WriteStartObject("req");
            json.WriteString("Url", url);
            json.WriteString("Method", method.ToUpperInvariant());
            json.WriteStartObject("Headers");
            if (body is not null)
            {
                json.WriteStartArray("Content-Type");
                json.WriteStringValue("application/json");
                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteStartObject("Params");
            json.WriteEndObject();
            if (body is not null) json.WriteString("Body", body);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("Metadata");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Builds the payload the host sends for a queue trigger: the message text and its metadata.</summary>
    /// <param name="message">The message text (usually JSON).</param>
    /// <param name="dequeueCount">How many times the message has been dequeued, this time included.</param>
    /// <param name="messageId">The message id; a new one when null.</param>
    /// <param name="insertionTime">When the message was inserted; now when null.</param>
    /// <returns>The payload JSON.</returns>
    public static string QueuePayload(string message, int dequeueCount = 1, string? messageId = null, DateTimeOffset? insertionTime = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var inserted = insertionTime ?? DateTimeOffset.UtcNow;
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("Data");
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteStartObject("Metadata");
            json.WriteNumber("DequeueCount", dequeueCount);
            json.WriteString("Id", messageId ?? Guid.NewGuid().ToString());
            json.WriteString("InsertionTime", inserted);
            json.WriteString("ExpirationTime", inserted.AddDays(7));
            json.WriteString("NextVisibleTime", inserted.AddMinutes(10));
            json.WriteString("PopReceipt", "test");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
