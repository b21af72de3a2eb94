namespace Portable.Gcp.Events;

/// <summary>
/// The legacy event types and their CloudEvent types, with the service that produces them, as the Functions Framework
/// conformance data and the Cloud Functions documentation list them.
/// </summary>
internal static class EventMapping
{
    public const string PubSubService = "pubsub.googleapis.com";
    public const string StorageService = "storage.googleapis.com";
    public const string FirestoreService = "firestore.googleapis.com";
    public const string AuthService = "firebaseauth.googleapis.com";
    public const string DatabaseService = "firebasedatabase.googleapis.com";
    public const string AnalyticsService = "firebaseanalytics.googleapis.com";
    public const string RemoteConfigService = "firebaseremoteconfig.googleapis.com";
    public const string MessagePublished = "google.cloud.pubsub.topic.v1.messagePublished";
    public const string PubSubMessageType = "type.googleapis.com/google.pubsub.v1.PubsubMessage";

    /// <summary>Legacy type to (CloudEvent type, service).</summary>
    public static IReadOnlyDictionary<string, (string Type, string Service)> ToCloudEvent { get; } = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["google.pubsub.topic.publish"] = (MessagePublished, PubSubService),
        ["providers/cloud.pubsub/eventTypes/topic.publish"] = (MessagePublished, PubSubService),
        ["google.storage.object.finalize"] = ("google.cloud.storage.object.v1.finalized", StorageService),
        ["google.storage.object.delete"] = ("google.cloud.storage.object.v1.deleted", StorageService),
        ["google.storage.object.archive"] = ("google.cloud.storage.object.v1.archived", StorageService),
        ["google.storage.object.metadataUpdate"] = ("google.cloud.storage.object.v1.metadataUpdated", StorageService),
        ["providers/cloud.storage/eventTypes/object.change"] = ("google.cloud.storage.object.v1.changed", StorageService),
        ["providers/cloud.firestore/eventTypes/document.create"] = ("google.cloud.firestore.document.v1.created", FirestoreService),
        ["providers/cloud.firestore/eventTypes/document.update"] = ("google.cloud.firestore.document.v1.updated", FirestoreService),
        ["providers/cloud.firestore/eventTypes/document.delete"] = ("google.cloud.firestore.document.v1.deleted", FirestoreService),
        ["providers/cloud.firestore/eventTypes/document.write"] = ("google.cloud.firestore.document.v1.written", FirestoreService),
        ["providers/firebase.auth/eventTypes/user.create"] = ("google.firebase.auth.user.v1.created", AuthService),
        ["providers/firebase.auth/eventTypes/user.delete"] = ("google.firebase.auth.user.v1.deleted", AuthService),
        ["providers/google.firebase.analytics/eventTypes/event.log"] = ("google.firebase.analytics.log.v1.written", AnalyticsService),
        ["providers/google.firebase.database/eventTypes/ref.create"] = ("google.firebase.database.ref.v1.created", DatabaseService),
        ["providers/google.firebase.database/eventTypes/ref.write"] = ("google.firebase.database.ref.v1.written", DatabaseService),
        ["providers/google.firebase.database/eventTypes/ref.update"] = ("google.firebase.database.ref.v1.updated", DatabaseService),
        ["providers/google.firebase.database/eventTypes/ref.delete"] = ("google.firebase.database.ref.v1.deleted", DatabaseService),
        ["google.firebase.remoteconfig.update"] = ("google.firebase.remoteconfig.remoteConfig.v1.updated", RemoteConfigService),
    };

    /// <summary>CloudEvent type to the legacy type a function of signature type <c>event</c> is given (the first legacy name of each).</summary>
    public static IReadOnlyDictionary<string, string> ToLegacy { get; } = BuildReverse();

    private static Dictionary<string, string> BuildReverse()
    {
        var reverse = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (legacy, (type, _)) in ToCloudEvent) reverse.TryAdd(type, legacy);
        return reverse;
    }
}
