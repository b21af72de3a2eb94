using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Portable.Hosting;

namespace Portable.Azure.Data;

/// <summary>
/// <see cref="INotifier"/> on Event Grid: each notification is one CloudEvents 1.0 event (type <see cref="EventType"/>, source
/// <c>/portable/{app}/topics/{topic}</c>, the body as <c>data</c>, the subject, the attributes as extension attributes, the
/// deduplication id as the event id) POSTed as a batch of one (<c>application/cloudevents-batch+json</c>) to the topic's endpoint
/// with its key (<c>aeg-sas-key</c>) or a <c>DefaultAzureCredential</c> bearer token. Spoken over <see cref="HttpClient"/>
/// because Azure.Messaging.EventGrid 4.17.0 produces trim and AOT warnings. The sender's trace context travels in the CloudEvents
/// distributed-tracing extension (<c>traceparent</c>, <c>tracestate</c>), from a producer span (<c>publish {topic}</c>) when
/// something listens to the Portable source; a notification attribute of either name gives way to it.
/// </summary>
internal sealed partial class EventGridNotifier(FunctionCatalog catalog, AzureOptions options, HttpClient http, ILogger<EventGridNotifier> log, TokenCredential? credential = null) : INotifier
{
    public const string EventType = "Portable.Notification";
    public const string ApiVersion = "2018-01-01";
    private static readonly string[] Scopes = ["https://eventgrid.azure.net/.default"];

    private readonly ConcurrentDictionary<string, (Uri Endpoint, string? Key)> _topics = new(StringComparer.Ordinal);
    private readonly Lazy<TokenCredential> _credential = new(() => credential ?? new DefaultAzureCredential());

    public async Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        PortRules.ValidateNotification(notification);
        var (endpoint, key) = _topics.GetOrAdd(notification.Topic, Resolve);
        var id = notification.DeduplicationId ?? Guid.NewGuid().ToString();
        using var producer = PortableTelemetry.StartProducer("publish", Bindings.QueueMessageTrace.EventGridSystem, notification.Topic);
        if (producer is { IsAllDataRequested: true }) producer.SetTag("messaging.message.id", id);
        try
        {
            await SendAsync(notification, endpoint, key, id, PortableTelemetry.ContextToSend(producer), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            PortableTelemetry.Fail(producer, e);
            throw;
        }

        LogPublished(log, notification.Topic, id);
    }

    private async Task SendAsync(Notification notification, Uri endpoint, string? key, string id, TraceContext? trace, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ByteArrayContent(Encode(catalog.AppName, notification, id, DateTimeOffset.UtcNow, trace)),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/cloudevents-batch+json; charset=utf-8");
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("aeg-sas-key", key);
        }
        else
        {
            var token = await _credential.Value.GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"Event Grid refused the notification on '{notification.Topic}': {(int)response.StatusCode} {response.ReasonPhrase}. {text}", null, response.StatusCode);
        }
    }

    /// <summary>The notification as a CloudEvents JSON batch of one, written by hand: the SDK's CloudEvent type serializes by reflection.</summary>
    internal static byte[] Encode(string app, Notification notification, string id, DateTimeOffset time, TraceContext? trace = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("specversion", "1.0");
            json.WriteString("id", id);
            json.WriteString("source", $"/portable/{app}/topics/{notification.Topic}");
            json.WriteString("type", EventType);
            if (notification.Subject is not null) json.WriteString("subject", notification.Subject);
            json.WriteString("time", time);
            json.WriteString("datacontenttype", "application/json");
            if (trace is not null)
            {
                json.WriteString("traceparent", trace.TraceParent);
                if (trace.TraceState is { Length: > 0 } state) json.WriteString("tracestate", state);
            }

            foreach (var (name, value) in notification.Attributes)
            {
                var attribute = new string(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
                if (attribute.Length > 0 && !IsReserved(attribute) && (trace is null || attribute is not ("traceparent" or "tracestate"))) json.WriteString(attribute, value);
            }

            json.WritePropertyName("data");
            if (IsJson(notification.Body)) json.WriteRawValue(notification.Body, skipInputValidation: true);
            else json.WriteStringValue(notification.Body);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static bool IsReserved(string attribute)
        => attribute is "specversion" or "id" or "source" or "type" or "subject" or "time" or "datacontenttype" or "dataschema" or "data" or "database64";

    private (Uri Endpoint, string? Key) Resolve(string topic)
    {
        var settings = options.FindTopic(topic);
        if (settings?.Endpoint is not { Length: > 0 } endpoint)
        {
            throw new PortableConfigurationException(
                $"No Event Grid endpoint for topic '{topic}'. Set {AzureOptions.SectionName}:Topics:{topic.Replace('-', '_')}:Endpoint " +
                $"(app setting Portable__Azure__Topics__{topic.Replace('-', '_')}__Endpoint) to the topic's endpoint, and its Key, or grant the app's identity 'EventGrid Data Sender'.");
        }

        var uri = endpoint.Contains("api-version=", StringComparison.Ordinal) ? endpoint : endpoint + (endpoint.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "api-version=" + ApiVersion;
        return (new Uri(uri), settings.Key is { Length: > 0 } key ? key : null);
    }

    private static bool IsJson(string body)
    {
        if (body.Length == 0) return false;
        try
        {
            using var document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Published a notification on {Topic} to Event Grid (event {EventId})")]
    private static partial void LogPublished(ILogger logger, string topic, string eventId);
}
