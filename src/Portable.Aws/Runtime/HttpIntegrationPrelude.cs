using System.Buffers;
using System.Text.Json;

namespace Portable.Aws.Runtime;

/// <summary>
/// The start of a streamed HTTP response in <see cref="LambdaStreamingResponse.HttpIntegrationContentType"/>: the JSON prelude
/// <c>{"statusCode":…,"headers":{…},"cookies":[…]}</c> and the eight NUL bytes that separate it from the body. A header with
/// several values is sent as one, joined with <c>", "</c>; every <c>Set-Cookie</c> goes to <c>cookies</c>, as function URLs
/// and API Gateway expect.
/// </summary>
internal static class HttpIntegrationPrelude
{
    /// <summary>How many NUL bytes end the prelude.</summary>
    public const int DelimiterLength = 8;

    public static byte[] Write(HttpResponseData head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("statusCode", head.StatusCode);
            json.WriteStartObject("headers");
            List<string>? cookies = null;
            foreach (var (name, values) in head.Headers)
            {
                if (name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
                {
                    (cookies ??= []).AddRange(values);
                    continue;
                }

                if (values.Count > 0) json.WriteString(name, values.Count == 1 ? values[0] : string.Join(", ", values));
            }

            json.WriteEndObject();
            if (cookies is not null)
            {
                json.WriteStartArray("cookies");
                foreach (var cookie in cookies) json.WriteStringValue(cookie);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        var prelude = new byte[buffer.WrittenCount + DelimiterLength]; // the JSON escapes any NUL, so the delimiter is unambiguous
        buffer.WrittenSpan.CopyTo(prelude);
        return prelude;
    }
}
