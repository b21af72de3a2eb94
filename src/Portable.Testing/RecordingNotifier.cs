using System.Collections.Concurrent;

namespace Portable.Testing;

/// <summary>Forwards to the real notifier and keeps what was published, for assertions.</summary>
internal sealed class RecordingNotifier(INotifier inner) : INotifier
{
    private readonly ConcurrentQueue<Notification> _published = new();

    public IReadOnlyList<Notification> Published => [.. _published];

    public async Task PublishAsync(Notification notification, CancellationToken cancellationToken)
    {
        await inner.PublishAsync(notification, cancellationToken).ConfigureAwait(false);
        _published.Enqueue(notification);
    }
}
