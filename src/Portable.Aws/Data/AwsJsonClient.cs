using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Portable.Aws.Data;

/// <summary>
/// A client for an AWS service that speaks the JSON 1.0 protocol (DynamoDB, SQS): <c>POST /</c> with
/// <c>X-Amz-Target: {prefix}.{Action}</c> and a JSON body, signed with SigV4, retried by <see cref="AwsRetry"/> (throttling,
/// 5xx answers and network failures); any other refusal becomes an <see cref="AwsServiceException"/>.
/// The request bodies are written with <see cref="Utf8JsonWriter"/> and answers read with <see cref="JsonDocument"/>, so no
/// AWS model types are needed (which keeps the Native AOT image small).
/// </summary>
internal sealed class AwsJsonClient(AwsConnection connection, string displayName, string signingName, string targetPrefix, string endpointKey)
{
    private const string ContentType = "application/x-amz-json-1.0";
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };
    private Uri? _endpoint;

    public static AwsJsonClient DynamoDb(AwsConnection connection) => new(connection, "DynamoDB", "dynamodb", "DynamoDB_20120810", "DYNAMODB");

    public static AwsJsonClient Sqs(AwsConnection connection) => new(connection, "SQS", "sqs", "AmazonSQS", "SQS");

    /// <summary>Calls an action with the body <paramref name="write"/> produces and returns the answer.</summary>
    /// <exception cref="AwsServiceException">The service refused the call.</exception>
    public async Task<JsonDocument> CallAsync(string action, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var body = Write(write);
        var endpoint = _endpoint ??= connection.Endpoint(signingName, endpointKey);
        return await AwsRetry.RunAsync(token => SendAsync(endpoint, action, body, token), connection.Time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Calls a write action like <see cref="CallAsync"/>, and asks <paramref name="wasApplied"/> right after each lost answer (a
    /// network failure, a timeout, a throttling or 5xx answer), before any backoff: when it says the write is already stored (an
    /// earlier attempt was applied), no retry is sent and null is returned; when it says the write can no longer apply (the item
    /// has moved on: a retry would fail its condition), the call fails at once as <c>ConditionalCheckFailedException</c>; when it
    /// cannot tell (null), the write is retried.
    /// </summary>
    /// <param name="action">The action, such as <c>UpdateItem</c>.</param>
    /// <param name="write">Writes the request body.</param>
    /// <param name="wasApplied">Says whether the write is already stored (true), can no longer apply (false), or may still apply (null).</param>
    /// <param name="attempts">Counts the attempts sent: more than one means an earlier attempt may have been applied.</param>
    /// <param name="cancellationToken">Cancels the call and its retries.</param>
    /// <returns>The answer, or null when <paramref name="wasApplied"/> found the write stored.</returns>
    /// <exception cref="AwsServiceException">The service refused the call.</exception>
    public async Task<JsonDocument?> WriteAsync(
        string action, Action<Utf8JsonWriter> write, Func<CancellationToken, Task<bool?>> wasApplied, StrongBox<int> attempts, CancellationToken cancellationToken)
    {
        var body = Write(write);
        var endpoint = _endpoint ??= connection.Endpoint(signingName, endpointKey);
        return await AwsRetry.RunAsync<JsonDocument?>(
            async token =>
            {
                attempts.Value++;
                try
                {
                    return await SendAsync(endpoint, action, body, token).ConfigureAwait(false);
                }
                catch (Exception e) when (AwsRetry.IsTransient(e, cancellationToken))
                {
                    switch (await wasApplied(token).ConfigureAwait(false))
                    {
                        case true: return null;
                        case false: throw new AwsServiceException(displayName, action, System.Net.HttpStatusCode.BadRequest, "ConditionalCheckFailedException",
                            "The item no longer matches the condition (read after an answer was lost).", null);
                        default: throw;
                    }
                }
            },
            connection.Time,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonDocument> SendAsync(Uri endpoint, string action, byte[] body, CancellationToken cancellationToken)
    {
        using var request = await connection.SignedPostAsync(
            endpoint, signingName, ContentType, body, [new("X-Amz-Target", targetPrefix + "." + action)], cancellationToken).ConfigureAwait(false);
        using var response = await connection.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return JsonDocument.Parse(bytes.Length == 0 ? "{}"u8.ToArray() : bytes);
        throw Refusal(action, response, bytes);
    }

    private AwsServiceException Refusal(string action, HttpResponseMessage response, byte[] bytes)
    {
        string? code = null, message = null;
        try
        {
            using var error = JsonDocument.Parse(bytes);
            foreach (var property in error.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String) continue;
                if (property.NameEquals("__type")) code = property.Value.GetString();
                else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase)) message = property.Value.GetString();
            }
        }
        catch (JsonException)
        {
            message = System.Text.Encoding.UTF8.GetString(bytes);
        }

        // "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" → "ConditionalCheckFailedException"
        code = code?[(code.LastIndexOf('#') + 1)..];
        if (string.IsNullOrEmpty(code) && response.Headers.TryGetValues("x-amzn-query-error", out var query)) code = query.First().Split(';')[0];
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.First() : null;
        return new AwsServiceException(displayName, action, response.StatusCode, string.IsNullOrEmpty(code) ? response.StatusCode.ToString() : code, message, requestId);
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions)) write(json);
        return buffer.ToArray();
    }
}
