using Portable.Blobs;
namespace Portable.Hosting;

/// <summary>The one trigger of a function, with its parameters.</summary>
/// <param name="Kind">What starts the function.</param>
/// <param name="Method">The HTTP method, for <see cref="TriggerKind.Http"/>.</param>
/// <param name="Route">The route template such as <c>/orders/{id}</c>, for <see cref="TriggerKind.Http"/>.</param>
/// <param name="Name">The queue or topic name, for <see cref="TriggerKind.Queue"/> and <see cref="TriggerKind.Topic"/>.</param>
/// <param name="Cron">The five-field cron expression (UTC), for <see cref="TriggerKind.Schedule"/>.</param>
/// <param name="EventType">The CloudEvent type, for <see cref="TriggerKind.Event"/>.</param>
public sealed record FunctionTrigger(
    TriggerKind Kind,
    string? Method = null,
    string? Route = null,
    string? Name = null,
    string? Cron = null,
    string? EventType = null)
{
    /// <summary>An HTTP trigger.</summary>
    /// <param name="method">The HTTP method, such as <c>GET</c>.</param>
    /// <param name="route">The route template, such as <c>/orders/{id}</c>.</param>
    /// <returns>The trigger.</returns>
    public static FunctionTrigger Http(string method, string route) => new(TriggerKind.Http, Method: method, Route: route);

    /// <summary>A queue trigger.</summary>
    /// <param name="queue">The queue name.</param>
    /// <returns>The trigger.</returns>
    public static FunctionTrigger Queue(string queue) => new(TriggerKind.Queue, Name: queue);

    /// <summary>A topic subscription.</summary>
    /// <param name="topic">The topic name.</param>
    /// <returns>The trigger.</returns>
    public static FunctionTrigger Topic(string topic) => new(TriggerKind.Topic, Name: topic);

    /// <summary>A cron schedule.</summary>
    /// <param name="cron">Five fields (minute hour day month weekday), UTC.</param>
    /// <returns>The trigger.</returns>
    public static FunctionTrigger Schedule(string cron) => new(TriggerKind.Schedule, Cron: cron);

    /// <summary>A platform event trigger.</summary>
    /// <param name="eventType">The CloudEvent type, such as <c>google.cloud.storage.object.v1.finalized</c>.</param>
    /// <returns>The trigger.</returns>
    public static FunctionTrigger Event(string eventType) => new(TriggerKind.Event, EventType: eventType);

    /// <summary>A blob trigger.</summary>
    /// <param name="bucket">The bucket's declared name.</param>
    /// <param name="events">The changes that invoke the function.</param>
    /// <returns>The trigger.</returns>
    public static FunctionTrigger Blob(string bucket, BlobEvents events) => new(TriggerKind.Blob, Name: bucket) { BlobEvents = events };

    /// <summary>The changes that invoke a <see cref="TriggerKind.Blob"/> function; null for other kinds.</summary>
    public BlobEvents? BlobEvents { get; init; }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        TriggerKind.Http => $"http {Method} {Route}",
        TriggerKind.Queue => $"queue {Name}",
        TriggerKind.Topic => $"topic {Name}",
        TriggerKind.Schedule => $"schedule {Cron}",
        TriggerKind.Blob => $"blob {Name} ({BlobEvents})",
        _ => $"event {EventType}",
    };
}
