using Microsoft.Extensions.Logging;
using Portable.Hosting;
using Portable.Local.Queues;

namespace Portable.Local;

/// <summary>
/// <see cref="INotifier"/> for the local host: a publish is committed, in one transaction, to the subscription queue of
/// every <see cref="TriggerKind.Topic"/> function of the topic, which then get the queues' retries and dead-lettering.
/// Then every <see cref="INotificationObserver"/> is told, in registration order. Each subscription's message carries the
/// publisher's trace context (a <c>publish</c> producer span when something listens, else the current activity's).
/// </summary>
internal sealed partial class LocalNotifier(FunctionCatalog catalog, LocalQueueStore queues, ILogger<LocalNotifier> log, IEnumerable<INotificationObserver>? observers = null) : INotifier
{
    private readonly INotificationObserver[] _observers = observers?.ToArray() ?? [];

    public async Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        Commit(notification, cancellationToken);
        foreach (var observer in _observers)
        {
            await observer.HandleAsync(notification, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Commit(Notification notification, CancellationToken cancellationToken)
    {
        PortRules.ValidateNotification(notification);
        cancellationToken.ThrowIfCancellationRequested();
        var subscriptions = catalog.SubscribersOf(notification.Topic).Select(QueueDispatcher.QueueOf).ToList();
        if (subscriptions.Count == 0)
        {
            LogNoSubscribers(log, notification.Topic);
            return;
        }

        var body = NotificationFrame.Write(notification);
        using var producer = PortableTelemetry.StartProducer("publish", LocalPlatform.MessagingSystem, notification.Topic);
        bool accepted;
        try
        {
            accepted = queues.EnqueueFanOut("topic:" + notification.Topic, subscriptions, body, notification.DeduplicationId, PortableTelemetry.ContextToSend(producer));
        }
        catch (Exception e)
        {
            PortableTelemetry.Fail(producer, e);
            throw;
        }

        if (!accepted) LogDuplicate(log, notification.Topic, notification.DeduplicationId!);
    }

    [LoggerMessage(1, LogLevel.Debug, "Notification on {Topic} has no subscriber in this app; it is dropped, as a topic without subscriptions would")]
    private static partial void LogNoSubscribers(ILogger logger, string topic);

    [LoggerMessage(2, LogLevel.Information, "Notification on {Topic} with deduplication id {DeduplicationId} was already published; not delivered again")]
    private static partial void LogDuplicate(ILogger logger, string topic, string deduplicationId);
}
