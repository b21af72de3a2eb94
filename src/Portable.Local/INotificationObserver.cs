namespace Portable.Local;

/// <summary>
/// Told of every notification the local host's <see cref="INotifier"/> publishes, after it is committed to the topic's
/// subscription queues (or dropped as a duplicate or for want of subscribers). Register one as a singleton
/// (<c>services.AddSingleton&lt;INotificationObserver, MyObserver&gt;()</c>) to record or display what an app publishes,
/// as Portable.Testing's host does.
/// </summary>
public interface INotificationObserver
{
    /// <summary>Observes one published notification.</summary>
    /// <param name="notification">The notification, as the function published it.</param>
    /// <param name="cancellationToken">The publisher's cancellation token.</param>
    /// <returns>A task that completes when the observer is done; the publish completes after it, and an exception propagates to the publisher.</returns>
    Task HandleAsync(Notification notification, CancellationToken cancellationToken);
}
