using System.Diagnostics;

namespace Portable.Hosting;

/// <summary>
/// Where Portable publishes its traces and metrics, and the helpers adapters use to carry a trace across a queue or topic.
/// Every invocation is an <see cref="Activity"/> of <see cref="Source"/> (named <c>Portable</c>); invocation metrics come from a
/// meter named <c>Portable</c>. Subscribe with OpenTelemetry's <c>AddSource("Portable")</c> and <c>AddMeter("Portable")</c>.
/// </summary>
public static class PortableTelemetry
{
    /// <summary>The name of the activity source and of the meter: <c>Portable</c>.</summary>
    public const string Name = "Portable";

    /// <summary>The activity source every invocation span (and every send or publish span) starts from.</summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>
    /// Starts the producer span of a message about to be sent or published, when something listens to <see cref="Source"/>
    /// (OpenTelemetry semantic conventions for messaging: span kind producer, named after the operation and destination).
    /// </summary>
    /// <param name="operation"><c>send</c> for a queue, <c>publish</c> for a topic.</param>
    /// <param name="system">The <c>messaging.system</c>, such as <c>aws_sqs</c> or <c>gcp_pubsub</c>.</param>
    /// <param name="destination">The queue or topic name.</param>
    /// <returns>The started span (dispose it once the send is acknowledged), or null when nothing listens.</returns>
    public static Activity? StartProducer(string operation, string system, string destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentException.ThrowIfNullOrEmpty(system);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        if (!Source.HasListeners()) return null;
        var activity = Source.StartActivity(operation + " " + destination, ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", system);
            activity.SetTag("messaging.operation.type", operation);
            activity.SetTag("messaging.operation.name", operation);
            activity.SetTag("messaging.destination.name", destination);
        }

        return activity;
    }

    /// <summary>
    /// The trace context a message should carry: the producer span's when there is one, else the current activity's (inside an
    /// invocation, the invocation's span), else null (a send outside any trace carries none).
    /// </summary>
    /// <param name="producer">The span from <see cref="StartProducer"/>, or null.</param>
    /// <returns>The context, or null.</returns>
    public static TraceContext? ContextToSend(Activity? producer) => TraceContext.FromActivity(producer ?? Activity.Current);

    /// <summary>Marks a producer span failed, with the exception as an event, as the conventions ask.</summary>
    /// <param name="activity">The span, or null.</param>
    /// <param name="exception">What failed.</param>
    public static void Fail(Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (activity is null) return;
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        if (!activity.IsAllDataRequested) return;
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.AddException(exception);
    }
}
