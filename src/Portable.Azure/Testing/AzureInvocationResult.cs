using System.Text.Json;

namespace Portable.Testing;

/// <summary>What the Azure custom handler answered to one invocation.</summary>
/// <param name="StatusCode">The handler's HTTP status; 2xx means the invocation succeeded.</param>
/// <param name="Outputs">The <c>Outputs</c> object: output binding name to value, such as <c>res</c> for an HTTP function.</param>
/// <param name="Logs">The <c>Logs</c> lines.</param>
/// <param name="ReturnValue">The <c>ReturnValue</c> (JSON null when there is none).</param>
/// <param name="Json">The whole answer as JSON text.</param>
public sealed record AzureInvocationResult(int StatusCode, JsonElement Outputs, IReadOnlyList<string> Logs, JsonElement ReturnValue, string Json)
{
    /// <summary>Whether the handler answered 2xx, so the host counts the invocation as succeeded.</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>
    /// The messages the invocation answered for a queue's output binding, which the Functions host writes to that queue: each
    /// one's JSON as the receiving function reads it (without the <c>$traceparent</c> member that carries the trace), in send
    /// order. Only a function that declares it sends to the queue (<c>Sends&lt;T&gt;()</c>) has one.
    /// </summary>
    /// <param name="queue">The queue name, such as <c>order-placed</c>.</param>
    /// <returns>The messages; empty when the invocation wrote none to that queue.</returns>
    public IReadOnlyList<string> QueueMessages(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return Outputs.ValueKind == JsonValueKind.Object && Outputs.TryGetProperty(Portable.Azure.Bindings.BindingNames.QueueOutput(queue), out var messages)
            ? messages.EnumerateArray().Select(m => Portable.Azure.Bindings.QueueMessageTrace.Strip(m.GetString() ?? "")).ToList()
            : [];
    }

    internal static AzureInvocationResult Parse(int statusCode, byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var logs = root.TryGetProperty("Logs", out var lines) && lines.ValueKind == JsonValueKind.Array
            ? lines.EnumerateArray().Select(l => l.GetString() ?? "").ToList()
            : [];
        return new AzureInvocationResult(
            statusCode,
            root.GetProperty("Outputs").Clone(),
            logs,
            root.GetProperty("ReturnValue").Clone(),
            System.Text.Encoding.UTF8.GetString(body));
    }
}
