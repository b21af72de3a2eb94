using System.Text.Json;
using Portable.Gcp.Auth;
using Portable.Hosting;

namespace Portable.Gcp.PubSub;

/// <summary>Publishes messages with Pub/Sub's REST API (v1 <c>topics.publish</c>), at most 1000 a request.</summary>
internal sealed class PubSubPublisher(GoogleApiClient api)
{
    private const int MaxBatch = 1000;

    /// <summary>What a queue on Pub/Sub does with send options: no delayed delivery, and a deduplication id is carried but not enforced.</summary>
    public static QueueCapabilities QueueCapabilities { get; } = new("Pub/Sub", DelayedDelivery: false, Deduplication: false)
    {
        DelayAlternative = "schedule the work with Cloud Scheduler or Cloud Tasks",
    };

    public async Task<IReadOnlyList<string>> PublishAsync(string topic, IReadOnlyList<(byte[] Data, IReadOnlyDictionary<string, string> Attributes)> messages, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var project = await api.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
        var url = $"{api.PubSubBase}projects/{project}/topics/{Uri.EscapeDataString(topic)}:publish";
        var ids = new List<string>(messages.Count);
        foreach (var chunk in messages.Chunk(MaxBatch))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = GoogleApiClient.Json(Body(chunk)) };
            using var response = await api.SendAsync(request, api.PubSubEmulated, cancellationToken).ConfigureAwait(false);
            var (_, body) = response.IsSuccessStatusCode ? (null, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))
                : await GoogleApiClient.ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw GoogleApiClient.Failure($"Publishing to Pub/Sub topic '{topic}'", response, body);
            using var document = JsonDocument.Parse(body);
            foreach (var id in document.RootElement.GetProperty("messageIds").EnumerateArray()) ids.Add(id.GetString()!);
        }

        return ids;
    }

    private static byte[] Body(IEnumerable<(byte[] Data, IReadOnlyDictionary<string, string> Attributes)> messages)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("messages");
            foreach (var (data, attributes) in messages)
            {
                json.WriteStartObject();
                json.WriteBase64String("data", data);
                if (attributes.Count > 0)
                {
                    json.WriteStartObject("attributes");
                    foreach (var (name, value) in attributes) json.WriteString(name, value);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
