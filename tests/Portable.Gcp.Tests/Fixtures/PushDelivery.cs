using System.Text;
using System.Text.Json;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>Delivers a published message to a function's service as a Pub/Sub push subscription would: a push envelope POSTed to <c>/projects/P/topics/T</c>.</summary>
internal static class PushDelivery
{
    public static Task<HttpResponseMessage> PushAsync(this HttpClient service, PublishedMessage message)
    {
        var envelope = new Dictionary<string, object>
        {
            ["subscription"] = $"projects/test-project/subscriptions/{message.Topic}-push",
            ["message"] = new Dictionary<string, object>
            {
                ["data"] = Convert.ToBase64String(message.Data),
                ["attributes"] = message.Attributes,
                ["messageId"] = message.MessageId,
                ["publishTime"] = "2026-03-01T09:00:00.123Z",
            },
        };
        var json = JsonSerializer.Serialize(envelope);
        return service.PostAsync($"/projects/test-project/topics/{message.Topic}", new StringContent(json, Encoding.UTF8, "application/json"));
    }
}
