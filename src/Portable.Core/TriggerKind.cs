namespace Portable;

/// <summary>What starts a function.</summary>
public enum TriggerKind
{
    /// <summary>An HTTP request to a method and route.</summary>
    Http,

    /// <summary>A message on a queue.</summary>
    Queue,

    /// <summary>A notification published on a topic.</summary>
    Topic,

    /// <summary>A cron schedule.</summary>
    Schedule,

    /// <summary>A platform event (storage and other sources), as a CloudEvent.</summary>
    Event,
}
