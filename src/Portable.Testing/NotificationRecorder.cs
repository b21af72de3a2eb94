using System.Collections.Concurrent;
using Portable.Local;

namespace Portable.Testing;

/// <summary>Keeps every notification the local notifier published, in order, for assertions.</summary>
internal sealed class NotificationRecorder : INotificationObserver
{
    private readonly ConcurrentQueue<Notification> _published = new();

    public IReadOnlyList<Notification> Published => [.. _published];

    public Task HandleAsync(Notification notification, CancellationToken cancellationToken)
    {
        _published.Enqueue(notification);
        return Task.CompletedTask;
    }
}
