using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Gcp.Http;
using Portable.Hosting;

namespace Portable.Testing;

/// <summary>
/// Hands real Cloud Run functions payloads to one function of a test host (<c>PortableTestHost</c>, any <see cref="IPortableTestHost"/>) through the GCP adapter's own request
/// handling, in memory: a CloudEvent (binary or structured mode), a legacy event, a Pub/Sub push envelope, a Cloud Scheduler request
/// or any HTTP request. The function runs with the test host's services; the answer is the HTTP response the adapter would send.
/// </summary>
public sealed class GcpTestDriver
{
    private readonly GcpFunctionHandler _handler;

    internal GcpTestDriver(IPortableTestHost host, string functionName, string? signatureType)
    {
        var function = host.App.Catalog.Get(functionName);
        var executor = new FunctionExecutor("gcp", host.Services, host.App.TimeProvider);
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Portable.Gcp");
        var dispatcher = new HttpDispatcher(host.App.Catalog, executor, host.Services.GetRequiredService<ILogger<HttpDispatcher>>());
        _handler = new GcpFunctionHandler(function, signatureType, executor, dispatcher, log, host.App.TimeProvider);
    }

    /// <summary>Sends any request to the function, as Cloud Run would deliver it.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The adapter's response.</returns>
    public Task<HttpResponseData> SendAsync(HttpRequestData request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _handler.HandleAsync(request, cancellationToken);
    }

    /// <summary>Sends an HTTP request with an optional body.</summary>
    /// <param name="method">The method.</param>
    /// <param name="pathAndQuery">The path with an optional query string, such as <c>/hello?name=Ada</c>.</param>
    /// <param name="body">The body, or null.</param>
    /// <param name="contentType">The body's media type.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The adapter's response.</returns>
    public Task<HttpResponseData> SendHttpAsync(string method, string pathAndQuery, string? body = null, string contentType = "application/json", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var request = new HttpRequestData(method, question < 0 ? pathAndQuery : pathAndQuery[..question]) { Body = body is null ? default : Encoding.UTF8.GetBytes(body) };
        if (question >= 0)
        {
            foreach (var pair in pathAndQuery[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                request.Query.Add(Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]), eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' ')));
            }
        }

        if (body is not null) request.Headers["Content-Type"] = contentType;
        return SendAsync(request, cancellationToken);
    }

    /// <summary>Sends a CloudEvent given as structured JSON, in binary content mode (<c>ce-*</c> headers, data as the body) as Eventarc does, or in structured mode.</summary>
    /// <param name="cloudEventJson">The event in the CloudEvents JSON format.</param>
    /// <param name="binary">True for binary content mode, false for structured.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The adapter's response.</returns>
    public Task<HttpResponseData> SendCloudEventAsync(string cloudEventJson, bool binary = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloudEventJson);
        if (!binary)
        {
            var structured = new HttpRequestData("POST", "/") { Body = Encoding.UTF8.GetBytes(cloudEventJson) };
            structured.Headers["Content-Type"] = "application/cloudevents+json; charset=utf-8";
            return SendAsync(structured, cancellationToken);
        }

        using var document = JsonDocument.Parse(cloudEventJson.TrimStart('\uFEFF'));
        byte[] body = [];
        var headers = new List<(string Name, string Value)>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            switch (property.Name)
            {
                case "data":
                    body = property.Value.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(property.Value.GetString()!) : Encoding.UTF8.GetBytes(property.Value.GetRawText());
                    break;
                case "data_base64":
                    body = Convert.FromBase64String(property.Value.GetString()!);
                    break;
                case "datacontenttype":
                    headers.Add(("Content-Type", property.Value.GetString()!));
                    break;
                default:
                    headers.Add(("ce-" + property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText()));
                    break;
            }
        }

        var request = new HttpRequestData("POST", "/") { Body = body };
        foreach (var (name, value) in headers) request.Headers[name] = value;
        return SendAsync(request, cancellationToken);
    }

    /// <summary>Sends a legacy (GCF background) event body as is, with <c>Content-Type: application/json</c>.</summary>
    /// <param name="legacyEventJson">The legacy event.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The adapter's response.</returns>
    public Task<HttpResponseData> SendLegacyEventAsync(string legacyEventJson, CancellationToken cancellationToken = default)
        => SendHttpAsync("POST", "/", legacyEventJson, "application/json", cancellationToken);

    /// <summary>Sends one message as a Pub/Sub push subscription would: an envelope POSTed to <c>/projects/PROJECT/topics/TOPIC</c>.</summary>
    /// <param name="topic">The topic the message was published on.</param>
    /// <param name="data">The message data (the body a publisher sent).</param>
    /// <param name="attributes">The message attributes, or null.</param>
    /// <param name="messageId">The message id; a new one when null.</param>
    /// <param name="deliveryAttempt">The delivery attempt Pub/Sub reports when a dead-letter policy is set, or null.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The adapter's response: 2xx acknowledges the message.</returns>
    public Task<HttpResponseData> SendPushAsync(string topic, string data, IReadOnlyDictionary<string, string>? attributes = null, string? messageId = null, int? deliveryAttempt = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(data);
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("message");
            if (attributes is { Count: > 0 })
            {
                json.WriteStartObject("attributes");
                foreach (var (name, value) in attributes) json.WriteString(name, value);
                json.WriteEndObject();
            }

            json.WriteString("data", Convert.ToBase64String(Encoding.UTF8.GetBytes(data)));
            json.WriteString("messageId", messageId ?? Guid.NewGuid().ToString("N"));
            json.WriteString("publishTime", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteString("subscription", $"projects/test-project/subscriptions/{topic}-sub");
            if (deliveryAttempt is { } attempt) json.WriteNumber("deliveryAttempt", attempt);
            json.WriteEndObject();
        }

        return SendHttpAsync("POST", $"/projects/test-project/topics/{topic}", Encoding.UTF8.GetString(buffer.ToArray()), "application/json", cancellationToken);
    }

    /// <summary>Sends the request Cloud Scheduler makes for an HTTP target.</summary>
    /// <param name="scheduleTime">The occurrence; now when null.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The adapter's response.</returns>
    public Task<HttpResponseData> SendSchedulerAsync(DateTimeOffset? scheduleTime = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestData("POST", "/");
        request.Headers["X-CloudScheduler"] = "true";
        request.Headers["X-CloudScheduler-JobName"] = "test-job";
        request.Headers["X-CloudScheduler-ScheduleTime"] = (scheduleTime ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return SendAsync(request, cancellationToken);
    }
}
