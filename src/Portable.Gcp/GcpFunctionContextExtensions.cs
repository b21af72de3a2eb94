using Portable.Gcp.Events;

namespace Portable.Gcp;

/// <summary>What the GCP adapter adds to a <see cref="FunctionContext"/>.</summary>
public static class GcpFunctionContextExtensions
{
    /// <summary>The <see cref="FunctionContext.Properties"/> key of the legacy event a request carried, when it carried one.</summary>
    public const string LegacyEventProperty = "gcp.legacyEvent";

    /// <summary>The key of the Pub/Sub message id, for queue, topic and schedule functions fed by Pub/Sub.</summary>
    public const string MessageIdProperty = "gcp.pubsub.messageId";

    /// <summary>The key of the Pub/Sub publish time (a <see cref="DateTimeOffset"/>).</summary>
    public const string PublishTimeProperty = "gcp.pubsub.publishTime";

    /// <summary>The key of the Pub/Sub message attributes (an <see cref="IReadOnlyDictionary{TKey, TValue}"/> of strings).</summary>
    public const string AttributesProperty = "gcp.pubsub.attributes";

    /// <summary>The key of the Pub/Sub subscription that pushed the message, when it says.</summary>
    public const string SubscriptionProperty = "gcp.pubsub.subscription";

    /// <summary>
    /// The event in the legacy (GCF background function) shape, for code written against <c>{"data":…,"context":{…}}</c>:
    /// the legacy event itself when the request was one, else the CloudEvent converted back by the Functions Framework rules.
    /// </summary>
    /// <param name="context">The invocation's context.</param>
    /// <param name="cloudEvent">The event the function received.</param>
    /// <returns>The legacy event.</returns>
    /// <exception cref="InvalidInputException">The CloudEvent's type has no legacy equivalent.</exception>
    public static LegacyEvent GetLegacyEvent(this FunctionContext context, CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(cloudEvent);
        return context.Properties.TryGetValue(LegacyEventProperty, out var value) && value is LegacyEvent legacy
            ? legacy
            : CloudEventToLegacyConverter.Convert(cloudEvent);
    }
}
