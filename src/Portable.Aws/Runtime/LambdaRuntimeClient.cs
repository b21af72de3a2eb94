using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Portable.Aws.Runtime;

/// <summary>
/// The Lambda Runtime API, version 2018-06-01: <c>GET /runtime/invocation/next</c> (never with a timeout: the process is
/// frozen between events), <c>POST /runtime/invocation/{id}/response</c>, <c>…/error</c> and <c>/runtime/init/error</c>.
/// </summary>
internal sealed class LambdaRuntimeClient(HttpClient http) : ILambdaRuntimeClient, IDisposable
{
    /// <summary>The header that classifies an error posted to the Runtime API.</summary>
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    /// <summary>A client for <c>AWS_LAMBDA_RUNTIME_API</c> (<c>host:port</c>).</summary>
    public static LambdaRuntimeClient Create(string runtimeApi)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        var handler = new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan, AutomaticDecompression = System.Net.DecompressionMethods.None };
        var client = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/", UriKind.Absolute),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        return new LambdaRuntimeClient(client);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The event is read into one array of exactly its <c>Content-Length</c> (the Runtime API always sends one), straight
    /// from the connection: no buffering of the content, no growing copies, no string. A 6 MB event costs 6 MB while it is
    /// handled, and nothing once the invocation has dropped it.
    /// </remarks>
    public async Task<LambdaInvocation> GetNextAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("runtime/invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET /runtime/invocation/next answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }

        var headers = response.Headers;
        var payload = await ReadPayloadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        var deadline = Header(headers, "Lambda-Runtime-Deadline-Ms") is { } ms && long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var unixMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(unixMs)
            : (DateTimeOffset?)null;
        return new LambdaInvocation
        {
            RequestId = Header(headers, "Lambda-Runtime-Aws-Request-Id")
                ?? throw new HttpRequestException("GET /runtime/invocation/next answered without Lambda-Runtime-Aws-Request-Id."),
            Payload = payload,
            PayloadIsOwned = true,
            Deadline = deadline,
            FunctionArn = Header(headers, "Lambda-Runtime-Invoked-Function-Arn"),
            TraceHeader = Header(headers, "Lambda-Runtime-Trace-Id"),
            ClientContext = Header(headers, "Lambda-Runtime-Client-Context"),
            CognitoIdentity = Header(headers, "Lambda-Runtime-Cognito-Identity"),
        };
    }

    /// <inheritdoc />
    public async Task<RuntimeApiAnswer> PostResponseAsync(string requestId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await PostAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/response", content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels <paramref name="source"/> at the deadline; now, not on a timer, when it has passed (a timer of zero fires later, on another thread).</summary>
    internal static void CancelAtDeadline(CancellationTokenSource source, DateTimeOffset deadline)
    {
        var left = deadline - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero) source.CancelAfter(left);
        else source.Cancel();
    }

    /// <inheritdoc />
    /// <remarks>On its own socket (<see cref="ChunkedResponsePost"/>): <see cref="HttpClient"/> cannot send the error trailers over HTTP/1.1.</remarks>
    public async Task<LambdaStreamingResponse> OpenStreamAsync(LambdaInvocation invocation, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var runtimeApi = http.BaseAddress?.Authority ?? throw new InvalidOperationException("The Runtime API client has no base address to stream a response to.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (invocation.Deadline is { } at) CancelAtDeadline(deadline, at);
        var post = await ChunkedResponsePost.OpenAsync(runtimeApi, invocation.RequestId, contentType, deadline.Token).ConfigureAwait(false);
        return new LambdaStreamingResponse(post, invocation.RequestId, invocation.Deadline);
    }

    /// <inheritdoc />
    public Task<RuntimeApiAnswer> PostErrorAsync(string requestId, ErrorPayload error, string errorType, CancellationToken cancellationToken)
        => PostErrorToAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error, errorType, cancellationToken);

    /// <inheritdoc />
    public Task<RuntimeApiAnswer> PostInitErrorAsync(ErrorPayload error, string errorType, CancellationToken cancellationToken)
        => PostErrorToAsync("runtime/init/error", error, errorType, cancellationToken);

    public void Dispose() => http.Dispose();

    private async Task<RuntimeApiAnswer> PostErrorToAsync(string path, ErrorPayload error, string errorType, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, AwsJsonContext.Default.ErrorPayload));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.Add(ErrorTypeHeader, errorType);
        return await PostAsync(path, content, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RuntimeApiAnswer> PostAsync(string path, HttpContent content, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(path, content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new RuntimeApiAnswer((int)response.StatusCode, body);
    }

    /// <summary>The content in one array of its length; buffered by <see cref="HttpContent"/> only when the length is not announced.</summary>
    private static async Task<byte[]> ReadPayloadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is not { } length || length > Array.MaxLength)
        {
            return await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        var payload = length == 0 ? [] : GC.AllocateUninitializedArray<byte>((int)length);
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                await stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException e)
            {
                throw new HttpRequestException($"GET /runtime/invocation/next announced {length} bytes and sent fewer.", e);
            }
        }

        return payload;
    }

    private static string? Header(HttpResponseHeaders headers, string name)
        => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
