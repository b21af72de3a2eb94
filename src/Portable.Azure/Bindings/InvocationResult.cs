using System.Text;
using System.Text.Json;

namespace Portable.Azure.Bindings;

/// <summary>
/// Writes the custom-handler response document <c>{"Outputs":{…},"Logs":[…],"ReturnValue":…}</c> with a <see cref="Utf8JsonWriter"/>.
/// Queue outputs are written as an array of strings, one message's JSON each: the host adds each item of an array to the queue
/// as one message, whereas a single string is base64-decoded when it happens to be valid base64 and split when it is a JSON array.
/// </summary>
internal static class InvocationResult
{
    /// <summary>A succeeded invocation: its log lines, an HTTP function's <c>res</c>, and the messages it sent to its declared queues.</summary>
    public static HandlerResponse Success(IReadOnlyList<string> logs, HttpResponseData? http = null, QueueOutputCollector? queues = null)
        => new(200, Write(logs, http, queues?.Take() ?? []));

    public static HandlerResponse Failure(int statusCode, string log)
        => new(statusCode, Write([log], null, []));

    private static byte[] Write(IReadOnlyList<string> logs, HttpResponseData? http, IReadOnlyList<(string Binding, IReadOnlyList<byte[]> Messages)> queues)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("Outputs");
            if (http is not null)
            {
                json.WriteStartObject(BindingNames.HttpResponse);
                json.WriteString("statusCode", http.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
                // UTF-8 is written as it is (no UTF-16 string of the body between); other bytes as the text they decode to.
                if (System.Text.Unicode.Utf8.IsValid(http.Body.Span)) json.WriteString("body", http.Body.Span);
                else json.WriteString("body", Encoding.UTF8.GetString(http.Body.Span));
                json.WriteStartObject("headers");
                foreach (var (name, values) in http.Headers)
                {
                    if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                    json.WriteString(name, string.Join(", ", values));
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            foreach (var (binding, messages) in queues)
            {
                json.WriteStartArray(binding);
                foreach (var message in messages) json.WriteStringValue(message);
                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteStartArray("Logs");
            foreach (var line in logs) json.WriteStringValue(line);
            json.WriteEndArray();
            json.WriteNull("ReturnValue");
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
