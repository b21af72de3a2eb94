using System.Text.Json.Serialization;

namespace Portable.Hosting;

/// <summary>What starts a function.</summary>
public enum TriggerKind
{
    /// <summary>An HTTP request to a method and route.</summary>
    [JsonStringEnumMemberName("http")]
    Http,

    /// <summary>A message on a queue.</summary>
    [JsonStringEnumMemberName("queue")]
    Queue,

    /// <summary>A notification published on a topic.</summary>
    [JsonStringEnumMemberName("topic")]
    Topic,

    /// <summary>A cron schedule.</summary>
    [JsonStringEnumMemberName("schedule")]
    Schedule,

    /// <summary>A platform event (storage and other sources), as a CloudEvent.</summary>
    [JsonStringEnumMemberName("event")]
    Event,

    /// <summary>Changes to objects in a bucket (<c>MapBlob</c>): <see cref="FunctionTrigger.Name"/> is the bucket, <see cref="FunctionTrigger.BlobEvents"/> what changes.</summary>
    [JsonStringEnumMemberName("blob")]
    Blob,
}
