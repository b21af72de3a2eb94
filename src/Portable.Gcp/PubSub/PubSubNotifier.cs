using System.Text;
using Portable.Hosting;

namespace Portable.Gcp.PubSub;

/// <summary>
/// <see cref="INotifier"/> on Pub/Sub: a notification is one message on the topic of the same name, its body as the data and its
/// attributes as the attributes, with the subject and deduplication id as <c>portable-subject</c> and <c>portable-deduplication-id</c>, and the
/// publisher's trace context as <c>googclient_traceparent</c> / <c>googclient_tracestate</c>.
/// </summary>
internal sealed class PubSubNotifier(PubSubPublisher publisher) : INotifier
{
    public async Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        PortRules.ValidateNotification(notification);
        var attributes = new Dictionary<string, string>(notification.Attributes, StringComparer.Ordinal);
        if (notification.Subject is { } subject) attributes[PubSubAttributes.Subject] = subject;
        if (notification.DeduplicationId is { } id) attributes[PubSubAttributes.DeduplicationId] = id;
        using var producer = PubSubAttributes.StartProducer("publish", notification.Topic, attributes);
        try
        {
            await publisher.PublishAsync(notification.Topic, [(Encoding.UTF8.GetBytes(notification.Body), attributes)], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            PortableTelemetry.Fail(producer, e);
            throw;
        }
    }
}
