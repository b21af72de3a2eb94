namespace Portable;

/// <summary>How a message is sent.</summary>
public sealed record SendOptions
{
    /// <summary>Deliver the message no sooner than this; at most 15 minutes on every platform.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Messages with the same id sent within the platform's window are delivered once.</summary>
    public string? DeduplicationId { get; init; }
}
