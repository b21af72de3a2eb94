using System.Text.Json;

namespace Portable.Aws.Events;

/// <summary>
/// A first pass over an event handed to an HTTP function, with a <see cref="Utf8JsonReader"/> and no allocation: whether it
/// is HTTP-shaped (<see cref="HttpEvents.HttpOnlyFields"/> among its top-level names) and where its <c>body</c> token is, so
/// that the body is read straight from the event's bytes and a large event is never held twice (no document, no copy).
/// </summary>
/// <param name="IsHttpShaped">Whether the event is an object with a field only the HTTP event shapes have.</param>
/// <param name="BodyToken">The JSON token of the top-level <c>body</c>; <see cref="JsonTokenType.None"/> when there is none.</param>
/// <param name="BodyStart">Where the <c>body</c> string starts in the event (its opening quote).</param>
/// <param name="BodyLength">The length of the <c>body</c> string as written, quotes included.</param>
internal readonly record struct HttpEventScan(bool IsHttpShaped, JsonTokenType BodyToken, int BodyStart, int BodyLength)
{
    private static readonly JsonReaderOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    /// <summary>Scans the event, checking it is one JSON value.</summary>
    /// <exception cref="InvalidInputException">The event is not JSON.</exception>
    public static HttpEventScan Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Options);
        var shaped = false;
        var token = JsonTokenType.None;
        int start = 0, length = 0;
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isBody = reader.ValueTextEquals("body"u8);
                    shaped = shaped || IsHttpOnlyField(ref reader);
                    reader.Read();
                    if (isBody)
                    {
                        token = reader.TokenType;
                        start = (int)reader.TokenStartIndex;
                        length = token == JsonTokenType.String ? reader.ValueSpan.Length + 2 : 0;
                    }

                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }

            while (reader.Read())
            {
                // Only whitespace and comments may follow the value: the reader throws for anything else.
            }
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"The event is not JSON: {e.Message}", e);
        }

        return new HttpEventScan(shaped, token, start, length);
    }

    private static bool IsHttpOnlyField(ref Utf8JsonReader reader)
    {
        foreach (var name in HttpEvents.HttpOnlyFields)
        {
            if (reader.ValueTextEquals(name)) return true;
        }

        return false;
    }
}
