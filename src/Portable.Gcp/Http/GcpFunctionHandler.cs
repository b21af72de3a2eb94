using System.Globalization;
using Microsoft.Extensions.Logging;
using Portable.Gcp.Events;
using Portable.Gcp.PubSub;
using Portable.Gcp.Storage;
using Portable.Blobs;
using Portable.Hosting;

namespace Portable.Gcp.Http;

/// <summary>
/// The Functions Framework contract for the one function <c>FUNCTION_TARGET</c> names: every request (but <c>/robots.txt</c> and
/// <c>/favicon.ico</c>, which answer 404) reaches it. An HTTP function gets the method and path unchanged; an event function a
/// CloudEvent (binary or structured, or converted from a legacy event or a push envelope); a queue or topic function the Pub/Sub
/// message; a scheduled function the Cloud Scheduler occurrence. An unreadable event answers 400, a failure 500 with
/// <c>X-Google-Status: crash</c>.
/// </summary>
internal sealed partial class GcpFunctionHandler
{
    private readonly FunctionExecutor _executor;
    private readonly HttpDispatcher _dispatcher;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly bool _legacyShape;
    private readonly Func<string, string?> _physicalBucket; // a declared bucket's configured physical name (PORTABLE_BUCKET_*): its events are the declared bucket's too

    public GcpFunctionHandler(
        FunctionDefinition function, string? signatureType, FunctionExecutor executor, HttpDispatcher dispatcher, ILogger log, TimeProvider? time = null,
        Func<string, string?>? physicalBucket = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(log);
        CheckSignature(function, signatureType);
        Function = function;
        _executor = executor;
        _dispatcher = dispatcher;
        _log = log;
        _time = time ?? TimeProvider.System;
        _legacyShape = signatureType == "event";
        _physicalBucket = physicalBucket ?? (_ => null);
    }

    public FunctionDefinition Function { get; }

    public Task<HttpResponseData> HandleAsync(HttpRequestData request, CancellationToken cancellationToken)
        => HandleAsync(request, bodyIsScratch: false, cancellationToken);

    /// <summary>Answers one request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="bodyIsScratch">Whether the request's body is the host's scratch buffer, which a queue function's message may be decoded into where it lies (see <see cref="PubSubEvents.ReadMessage"/>).</param>
    /// <param name="cancellationToken">The caller has gone.</param>
    public async Task<HttpResponseData> HandleAsync(HttpRequestData request, bool bodyIsScratch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Path is "/robots.txt" or "/favicon.ico") return new HttpResponseData(404);

        var trace = GcpTrace.FromHeaders(request.Headers);
        using var scope = _log.BeginScope(new TraceScope(trace));
        var info = new InvocationInfo { InvocationId = Guid.NewGuid().ToString("N"), Trace = trace };
        if (Function.Trigger.Kind == TriggerKind.Http) return await InvokeHttpAsync(request, info, cancellationToken).ConfigureAwait(false);

        // First decode: whatever goes wrong here is the caller's input, answered 400 and logged once, here.
        Func<CancellationToken, Task<HttpResponseData>> invoke;
        try
        {
            invoke = Function.Trigger.Kind switch
            {
                TriggerKind.Event => DecodeEvent(request, info),
                TriggerKind.Blob => DecodeBlob(request, info),
                TriggerKind.Queue or TriggerKind.Topic => DecodeMessage(request, info, bodyIsScratch),
                _ => DecodeSchedule(request, info),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var reason = e is InvalidInputException ? e.Message : $"The {Function.Trigger.Kind.ToString().ToLowerInvariant()} request cannot be read: {e.Message}";
            LogRefused(_log, Function.Name, request.Method, request.Path, reason);
            return HttpResponseData.Problem(400, "Bad Request", reason, (e as InvalidInputException)?.Errors, info.InvocationId);
        }

        // Then invoke: the executor logs a refusal of the input (400) or a failure (500 crash, so the platform retries) once.
        try
        {
            return await invoke(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidInputException e)
        {
            return HttpResponseData.Problem(400, "Bad Request", e.Message, e.Errors, info.InvocationId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Crash(HttpDispatcher.Failure(Function.Name, info.InvocationId!));
        }
    }

    private static HttpResponseData Crash(HttpResponseData response)
    {
        response.Headers["X-Google-Status"] = "crash";
        return response;
    }

    private async Task<HttpResponseData> InvokeHttpAsync(HttpRequestData request, InvocationInfo info, CancellationToken cancellationToken)
    {
        var response = await _dispatcher.DispatchToAsync(Function, request, info, cancellationToken).ConfigureAwait(false);
        return HttpDispatcher.IsFailure(response) ? Crash(response) : response;
    }

    private Func<CancellationToken, Task<HttpResponseData>> DecodeEvent(HttpRequestData request, InvocationInfo info)
    {
        var incoming = GcpEventReader.Read(request);
        if (incoming.Mode == "push" && incoming.CloudEvent.Source == PubSubEvents.UnknownTopicSource) LogUnknownTopic(_log, request.Path);
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (incoming.Legacy is not null) properties[GcpFunctionContextExtensions.LegacyEventProperty] = incoming.Legacy;
        else if (_legacyShape) properties[GcpFunctionContextExtensions.LegacyEventProperty] = CloudEventToLegacyConverter.Convert(incoming.CloudEvent);
        info = info with { InvocationId = incoming.CloudEvent.Id, Properties = properties, Trace = PubSubAttributes.ReadTrace(incoming.CloudEvent) ?? info.Trace };
        return async cancellationToken =>
        {
            await _executor.InvokeEventAsync(Function, incoming.CloudEvent, info, cancellationToken).ConfigureAwait(false);
            return new HttpResponseData(200);
        };
    }

    /// <summary>
    /// A blob function's Cloud Storage event (Eventarc CloudEvent or legacy event) as a <see cref="BlobEvent"/> of the declared bucket.
    /// An event of another type, bucket or change (a trigger wider than the function) is skipped with a log line and answered 200,
    /// so Eventarc does not retry it.
    /// </summary>
    private Func<CancellationToken, Task<HttpResponseData>> DecodeBlob(HttpRequestData request, InvocationInfo info)
    {
        var incoming = GcpEventReader.Read(request);
        var cloudEvent = incoming.CloudEvent;
        info = info with { InvocationId = cloudEvent.Id, Trace = PubSubAttributes.ReadTrace(cloudEvent) ?? info.Trace };
        var bucket = Function.Trigger.Name!;
        var wanted = Function.Trigger.BlobEvents ?? BlobEvents.Created;
        var read = StorageObjectEvent.Read(cloudEvent);
        var reason = read is null ? $"a {cloudEvent.Type} event is not an object change"
            : !StorageObjectEvent.IsBucket(read.Bucket, bucket) && read.Bucket != _physicalBucket(bucket) ? $"the event is for bucket '{read.Bucket}', not '{bucket}'"
            : (wanted & read.Type) == 0 ? $"it takes {wanted}, not {read.Type}"
            : null;
        if (reason is not null)
        {
            LogBlobSkipped(_log, Function.Name, cloudEvent.Id, reason);
            return _ => Task.FromResult(new HttpResponseData(200));
        }

        var blobEvent = read! with { Bucket = bucket };
        return async cancellationToken =>
        {
            await _executor.InvokeBlobAsync(Function, blobEvent, info, cancellationToken).ConfigureAwait(false);
            return new HttpResponseData(200);
        };
    }

    private Func<CancellationToken, Task<HttpResponseData>> DecodeMessage(HttpRequestData request, InvocationInfo info, bool bodyIsScratch)
    {
        // A queue function is given the message read into its type, so its data may be decoded into a pooled array, returned
        // once the function is done; a topic function may keep the notification, so its data is its own.
        var queue = Function.Trigger.Kind == TriggerKind.Queue;
        var message = PubSubEvents.ReadMessage(request, pooled: queue, inPlace: queue && bodyIsScratch);
        // The message's own context (its publisher's) comes before the request's headers, which on a push belong to the push.
        info = info with
        {
            InvocationId = message.MessageId ?? info.InvocationId,
            DeliveryAttempt = message.DeliveryAttempt,
            Properties = Properties(message),
            Trace = message.Trace ?? PubSubAttributes.ReadTrace(message.Attributes) ?? info.Trace,
            MessagingSystem = "gcp_pubsub",
            MessageId = message.MessageId,
        };
        if (queue)
        {
            return async cancellationToken =>
            {
                try
                {
                    await _executor.InvokeMessageAsync(Function, message.Data, info, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    PubSubEvents.Release(message);
                }

                return new HttpResponseData(204);
            };
        }

        var attributes = new Dictionary<string, string>(message.Attributes, StringComparer.Ordinal);
        attributes.Remove(PubSubAttributes.Subject, out var subject);
        attributes.Remove(PubSubAttributes.DeduplicationId, out var deduplicationId);
        attributes.Remove(PubSubAttributes.TraceParent);
        attributes.Remove(PubSubAttributes.TraceState);
        var notification = new Notification(Function.Trigger.Name!, message.Data)
        {
            Subject = subject,
            DeduplicationId = deduplicationId,
            Attributes = attributes,
        };
        return async cancellationToken =>
        {
            await _executor.InvokeNotificationAsync(Function, notification, info, cancellationToken).ConfigureAwait(false);
            return new HttpResponseData(204);
        };
    }

    private Func<CancellationToken, Task<HttpResponseData>> DecodeSchedule(HttpRequestData request, InvocationInfo info)
    {
        DateTimeOffset? scheduled = null;
        if (request.Headers["X-CloudScheduler-ScheduleTime"] is { Length: > 0 } header)
        {
            scheduled = DateTimeOffset.TryParse(header, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
                ? t
                : throw new InvalidInputException("X-CloudScheduler-ScheduleTime", $"'{header}' is not an RFC 3339 time.");
        }
        else if (GcpEventReader.IsBinaryCloudEvent(request) || GcpEventReader.IsStructuredCloudEvent(request) || LooksLikeJsonEvent(request))
        {
            // Cloud Scheduler publishing to a Pub/Sub topic, delivered by push or as a messagePublished CloudEvent.
            var incoming = GcpEventReader.Read(request);
            scheduled = incoming.CloudEvent.Type == EventMapping.MessagePublished ? PubSubEvents.ToMessage(incoming.CloudEvent).PublishTime : incoming.CloudEvent.Time;
        }

        var occurrence = new ScheduledEvent(Function.Name, scheduled ?? _time.GetUtcNow(), Function.Trigger.Cron!);
        var jobName = request.Headers["X-CloudScheduler-JobName"];
        if (jobName is not null) info = info with { Properties = new Dictionary<string, object?>(StringComparer.Ordinal) { ["gcp.scheduler.jobName"] = jobName } };
        return async cancellationToken =>
        {
            await _executor.InvokeScheduleAsync(Function, occurrence, info, cancellationToken).ConfigureAwait(false);
            return new HttpResponseData(204);
        };
    }

    private static bool LooksLikeJsonEvent(HttpRequestData request)
    {
        if (request.Body.IsEmpty || request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true) return false;
        GcpEventReader.RequireUtf8(request.Body.Span); // declared JSON but not UTF-8: refused, not taken for an empty schedule request
        try
        {
            using var document = GcpEventReader.ParseBody(request.Body);
            return PubSubEvents.IsPushEnvelope(document.RootElement);
        }
        catch (InvalidInputException)
        {
            return false;
        }
    }

    private static Dictionary<string, object?> Properties(PubSubMessage message) => new(StringComparer.Ordinal)
    {
        [GcpFunctionContextExtensions.MessageIdProperty] = message.MessageId,
        [GcpFunctionContextExtensions.PublishTimeProperty] = message.PublishTime,
        [GcpFunctionContextExtensions.AttributesProperty] = message.Attributes,
        [GcpFunctionContextExtensions.SubscriptionProperty] = message.Subscription,
    };

    private static void CheckSignature(FunctionDefinition function, string? signatureType)
    {
        if (signatureType is null) return;
        var kind = function.Trigger.Kind;
        var fits = signatureType switch
        {
            "http" => kind == TriggerKind.Http,
            "typed" => kind == TriggerKind.Http && function.InputType is not null,
            _ => kind != TriggerKind.Http,
        };
        if (!fits)
        {
            throw new PortableConfigurationException(
                $"FUNCTION_SIGNATURE_TYPE is '{signatureType}', but function '{function.Name}' is a {function.Trigger}. " +
                "Use http (or typed for a typed function) for HTTP functions, cloudevent or event for the others, or leave the variable unset.");
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "{FunctionName} refused {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string functionName, string method, string path, string reason);

    [LoggerMessage(3, LogLevel.Information, "{FunctionName} skipped event {EventId}: {Reason}")]
    private static partial void LogBlobSkipped(ILogger logger, string functionName, string eventId, string reason);

    [LoggerMessage(2, LogLevel.Warning, "A Pub/Sub push arrived on {Path}, which does not name its topic (/projects/PROJECT/topics/TOPIC); the event source says unknown-topic!")]
    private static partial void LogUnknownTopic(ILogger logger, string path);
}
