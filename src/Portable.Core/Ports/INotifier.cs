namespace Portable;

/// <summary>Publishes notifications to a topic's subscribers (topic functions, <c>MapTopic</c>, and the platform's own subscriptions).</summary>
public interface INotifier
{
    /// <summary>Publishes one notification. When the task completes the platform has accepted it.</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="cancellationToken">Cancels the publish.</param>
    /// <returns>A task that completes when the notification is accepted.</returns>
    Task PublishAsync(Notification notification, CancellationToken cancellationToken);
}
