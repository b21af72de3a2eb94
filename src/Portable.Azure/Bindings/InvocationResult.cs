using System.Text;
using System.Text.Json;

namespace Portable.Azure.Bindings;

/// <summary>Writes the custom-handler response document <c>{"Outputs":{…},"Logs":[…],"ReturnValue":…}</c> with a <see cref="Utf8JsonWriter"/>.</summary>
internal static class InvocationResult
{
    public static HandlerResponse Success(IReadOnlyList<string> logs, HttpResponseData? http = null)
        => new(200, Write(logs, http));

    public static HandlerResponse Failure(int statusCode, string log)
        => new(statusCode, Write([log], null));

    private static byte[] Write(IReadOnlyList<string> logs, HttpResponseData? http)
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
                json.WriteString("body", Encoding.UTF8.GetString(http.Body.Span));
                json.WriteStartObject("headers");
                foreach (var (name, values) in http.Headers)
                {
                    if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                    json.WriteString(name, string.Join(", ", values));
                }

                json.WriteEndObject();
                json.WriteEndObject();
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
