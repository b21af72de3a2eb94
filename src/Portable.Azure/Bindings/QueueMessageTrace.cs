using System.Runtime.InteropServices;
using System.Text.Json;
using Portable.Azure.Data;

namespace Portable.Azure.Bindings;

/// <summary>
/// How a Storage queue message carries the sender's trace context, since Storage Queues have no message attributes: a JSON object
/// message gets two leading members, <c>"$traceparent"</c> (W3C <c>traceparent</c>) and, when there is one, <c>"$tracestate"</c>:
/// <c>{"$traceparent":"00-…-…-01","orderId":"o-1"}</c>. The reader (<see cref="Detach"/>) takes them off before the function
/// sees the message, in place (no copy); a message without them (written by any other producer) is read exactly as before. A
/// message that is not a JSON object, or that the two members would push over the Storage limit
/// (<see cref="StoragePoisonQueue.MaxMessageBytes"/>), is sent without them: tracing never makes a send fail.
/// </summary>
internal static class QueueMessageTrace
{
    /// <summary>
    /// The <c>messaging.system</c> of Storage Queues. The OpenTelemetry registry has no value for them (it has <c>eventgrid</c>,
    /// <c>eventhubs</c> and <c>servicebus</c> for Azure), so this one follows its naming.
    /// </summary>
    public const string MessagingSystem = "azure_queue_storage";

    /// <summary>The <c>messaging.system</c> of Event Grid, as the OpenTelemetry registry names it.</summary>
    public const string EventGridSystem = "eventgrid";

    public const string TraceParentMember = "$traceparent";
    public const string TraceStateMember = "$tracestate";

    /// <summary>The message with the context as its leading members; the message itself when it cannot carry one.</summary>
    /// <param name="message">The message's JSON, as serialized.</param>
    /// <param name="context">The context to carry, or null.</param>
    public static byte[] Attach(byte[] message, TraceContext? context)
    {
        if (context is null || message.Length < 2 || message[0] != (byte)'{') return message;
        using var buffer = new MemoryStream(message.Length + 160);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(TraceParentMember, context.TraceParent);
            if (context.TraceState is { Length: > 0 } state) json.WriteString(TraceStateMember, state);
            json.Flush();
        }

        var rest = message.AsSpan(1).TrimStart(" \t\r\n"u8);
        if (rest.Length > 0 && rest[0] != (byte)'}') buffer.WriteByte((byte)',');
        buffer.Write(rest);
        return buffer.Length > StoragePoisonQueue.MaxMessageBytes ? message : buffer.ToArray();
    }

    /// <summary>A message's text as its receiving function reads it: without the carried context.</summary>
    public static string Strip(string message)
        => message.StartsWith('{') ? System.Text.Encoding.UTF8.GetString(Detach(System.Text.Encoding.UTF8.GetBytes(message), out _).Span) : message;

    /// <summary>
    /// Takes the carried context off a message: the message without its leading <c>$traceparent</c>/<c>$tracestate</c> members
    /// (made in place, by overwriting the comma after them with <c>{</c>, so the message must be the caller's to change), and the
    /// context when the <c>traceparent</c> is valid. Any other message is answered unchanged, with no context.
    /// </summary>
    public static ReadOnlyMemory<byte> Detach(ReadOnlyMemory<byte> message, out TraceContext? context)
    {
        context = null;
        var span = message.Span;
        if (span.IsEmpty || span[0] != (byte)'{' || span.IndexOf("\"$traceparent\""u8) < 0) return message;
        string? traceParent = null, traceState = null;
        int end;
        try
        {
            var reader = new Utf8JsonReader(span);
            reader.Read(); // {
            while (true)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName) break;
                var isParent = reader.ValueTextEquals(TraceParentMember);
                if (!isParent && !reader.ValueTextEquals(TraceStateMember)) break;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String) return message;
                if (isParent) traceParent = reader.GetString();
                else traceState = reader.GetString();
            }

            if (traceParent is null) return message;
            end = (int)reader.TokenStartIndex; // the next member's name or the closing brace
        }
        catch (JsonException)
        {
            return message; // not JSON: the function's reader refuses it with its own reason
        }

        TraceContext.TryParse(traceParent, traceState, out context);
        if (span[end] == (byte)'}') return "{}"u8.ToArray();
        var comma = span[..end].LastIndexOf((byte)',');
        if (comma < 0) return message;
        var writable = MemoryMarshal.AsMemory(message);
        writable.Span[comma] = (byte)'{';
        return message[comma..];
    }
}
