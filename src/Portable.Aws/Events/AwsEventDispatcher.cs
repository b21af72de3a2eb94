using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Aws.Data;
using Portable.Aws.Runtime;
using Portable.Blobs;
using Portable.Hosting;

namespace Portable.Aws.Events;

/// <summary>
/// Maps one Lambda event onto the function's trigger and runs it through <see cref="FunctionExecutor"/>: HTTP events go
/// through the <see cref="HttpDispatcher"/> every platform uses and are answered in their source's shape, SQS batches answer <c>batchItemFailures</c>,
/// SNS, EventBridge and S3 events reach topic, schedule and event functions, S3 changes (direct, through SQS or EventBridge) reach
/// blob functions as <see cref="BlobEvent"/>s, and any other JSON is a direct invocation.
/// </summary>
internal sealed partial class AwsEventDispatcher(
    FunctionCatalog catalog, FunctionExecutor executor, HttpDispatcher httpDispatcher, ILogger<AwsEventDispatcher>? log = null, AwsResourceNames? names = null)
{
    private readonly ILogger _log = (ILogger?)log ?? NullLogger.Instance;
    private readonly AwsResourceNames _names = names ?? new AwsResourceNames(Environment.GetEnvironmentVariable);

    /// <summary>Names of the <see cref="FunctionContext.Properties"/> the adapter sets.</summary>
    public const string RequestIdProperty = "aws.requestId";

    /// <summary>The invoked function's ARN.</summary>
    public const string FunctionArnProperty = "aws.functionArn";

    /// <summary>The mobile SDK client context, as JSON text.</summary>
    public const string ClientContextProperty = "aws.clientContext";

    /// <summary>The Cognito identity, as JSON text.</summary>
    public const string CognitoIdentityProperty = "aws.cognitoIdentity";

    /// <summary>The X-Ray trace header.</summary>
    public const string TraceHeaderProperty = "aws.traceHeader";

    /// <summary>The largest HTTP request body accepted: Lambda's 6 MB synchronous payload limit, checked after base64 decoding so every platform answers 413 the same way.</summary>
    public const long MaxRequestBodyBytes = 6 * 1024 * 1024;

    public FunctionCatalog Catalog => catalog;

    /// <summary>
    /// Handles one event for a function. The event is read once, over its own bytes (an HTTP event with a scan and its typed
    /// shape, any other as a <see cref="JsonDocument"/>, which copies nothing), into the shape the function's trigger takes;
    /// JSON that is not that shape is a direct invocation. What makes an event one shape or another:
    /// <list type="bullet">
    /// <item>HTTP functions: an object with a field only the HTTP event shapes have (<see cref="HttpEvents.HttpOnlyFields"/>). It is
    /// always answered as an HTTP response: one that cannot be read is a 400 problem document in its source's shape.</item>
    /// <item>Queue, topic and event functions: an object with <c>Records</c> (SQS, SNS, S3: every AWS records event). A bad
    /// SQS record fails only itself (<c>batchItemFailures</c>); a bad SNS or S3 record refuses the event.</item>
    /// <item>Schedule and event functions: an object with <c>detail-type</c> (EventBridge).</item>
    /// </list>
    /// </summary>
    /// <returns>The response payload; empty for functions that return nothing.</returns>
    /// <exception cref="InvalidInputException">The event cannot be read (the loop posts <c>Runtime.InvalidEvent</c>).</exception>
    public async Task<ReadOnlyMemory<byte>> DispatchAsync(FunctionDefinition function, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(invocation);
        var payload = invocation.Payload.Span.StartsWith("\uFEFF"u8) ? invocation.Payload[3..] : invocation.Payload;
        var info = Info(invocation);
        if (function.Trigger.Kind == TriggerKind.Http)
        {
            // The largest events are HTTP requests: read with a scan and the typed shape over the event's bytes, no document.
            EventJson.CheckText(payload.Span);
            var scan = HttpEventScan.Read(payload.Span);
            return scan.IsHttpShaped
                ? await InvokeHttpAsync(payload, scan, invocation.PayloadIsOwned, info, cancellationToken).ConfigureAwait(false)
                : await InvokeDirectAsync(function, payload, info, cancellationToken).ConfigureAwait(false);
        }

        using var document = EventJson.Parse(payload);
        var root = document.RootElement;
        var isObject = root.ValueKind == JsonValueKind.Object;
        switch (function.Trigger.Kind)
        {
            case TriggerKind.Queue or TriggerKind.Topic or TriggerKind.Event when isObject && root.TryGetProperty("Records", out var records):
                return await InvokeRecordsAsync(function, records, invocation.RequestId, info, cancellationToken).ConfigureAwait(false);
            case TriggerKind.Blob when isObject && root.TryGetProperty("Records", out var s3Records):
                return await InvokeBlobRecordsAsync(function, s3Records, info, cancellationToken).ConfigureAwait(false);
            case TriggerKind.Blob when isObject && root.TryGetProperty("detail-type", out _):
                await InvokeBlobsAsync(function, [S3Events.FromEventBridge(root, function.Trigger.Name!, _names.Bucket(function.Trigger.Name!))], info, cancellationToken).ConfigureAwait(false);
                return ReadOnlyMemory<byte>.Empty;
            case TriggerKind.Blob when S3Events.IsTestEvent(root):
                LogS3TestEvent(_log, function.Name);
                return ReadOnlyMemory<byte>.Empty;
            case TriggerKind.Schedule or TriggerKind.Event when isObject && root.TryGetProperty("detail-type", out _):
                await InvokeEventBridgeAsync(function, root, invocation.RequestId, info, cancellationToken).ConfigureAwait(false);
                return ReadOnlyMemory<byte>.Empty;
        }

        return await InvokeDirectAsync(function, payload, info, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A direct invocation: the event is the function's input.</summary>
    private async Task<ReadOnlyMemory<byte>> InvokeDirectAsync(FunctionDefinition function, ReadOnlyMemory<byte> payload, InvocationInfo info, CancellationToken cancellationToken)
    {
        try
        {
            return await executor.InvokeJsonAsync(function, payload, info, cancellationToken).ConfigureAwait(false) ?? ReadOnlyMemory<byte>.Empty;
        }
        catch (InvalidInputException e)
        {
            // The executor has logged the refusal, with the function's name: the loop need not log it again.
            e.Data[LambdaRuntime.RefusalLoggedKey] = true;
            throw;
        }
    }

    /// <summary>An HTTP-shaped event: read, routed and answered; one that cannot be read is answered 400 in its source's shape.</summary>
    private async Task<ReadOnlyMemory<byte>> InvokeHttpAsync(ReadOnlyMemory<byte> payload, HttpEventScan scan, bool overwrite, InvocationInfo info, CancellationToken cancellationToken)
    {
        HttpEventKind kind;
        HttpResponseData response;
        HttpEvent? http = null;
        try
        {
            http = EventJson.Read(payload.Span, AwsJsonContext.Default.HttpEvent, "The HTTP event");
            kind = HttpEvents.KindOf(http);
            if (!HttpEvents.IsComplete(http))
            {
                throw new InvalidInputException("The HTTP event says neither where it goes as payload 2.0 (rawPath, or version 2.0 with a requestContext) nor as payload 1.0 (httpMethod and path).");
            }

            // From here the body may have been unescaped where it lies (an owned payload): the event is not parsed again.
            var request = HttpEvents.ToRequest(http, kind, HttpEvents.ReadBody(payload, scan, http.IsBase64Encoded, overwrite));
            response = request.Body.Length > MaxRequestBodyBytes
                ? httpDispatcher.TooLarge(request.Method, request.Path, MaxRequestBodyBytes, "Lambda's 6 MB payload limit")
                : await httpDispatcher.DispatchAsync(request, info, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidInputException e) when (http is not null && HttpEvents.IsComplete(http))
        {
            // The event was read: it says its source and where it went, whatever its body was.
            kind = HttpEvents.KindOf(http);
            var (method, path) = HttpEvents.Describe(http);
            response = httpDispatcher.BadRequest(method, path, e.Message, info.InvocationId);
        }
        catch (InvalidInputException e)
        {
            // Only now is the event parsed as a document (untouched: the body is read only from a readable event), to answer in
            // its source's shape whatever else is wrong with it.
            using var document = EventJson.Parse(payload);
            kind = HttpEvents.KindOf(document.RootElement);
            var (method, path) = HttpEvents.Describe(document.RootElement);
            response = httpDispatcher.BadRequest(method, path, e.Message, info.InvocationId);
        }

        return HttpEvents.Write(HttpEvents.ToResult(response, kind));
    }

    /// <summary>
    /// A records event (<c>Records</c>): SQS for queue and topic functions, SNS for topic functions, S3 for event functions.
    /// The batch's source is the one its records name in <c>eventSource</c> (<c>EventSource</c> for SNS); with none the event
    /// is refused, as it is when it comes from a source the function does not take.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>> InvokeRecordsAsync(FunctionDefinition function, JsonElement records, string requestId, InvocationInfo info, CancellationToken cancellationToken)
    {
        if (records.ValueKind != JsonValueKind.Array || records.GetArrayLength() == 0)
        {
            throw new InvalidInputException($"The event's 'Records' is {(records.ValueKind == JsonValueKind.Array ? "empty" : EventJson.Article(records.ValueKind))}: a records event (SQS, SNS, S3) has an array of at least one record.");
        }

        string? source = null;
        var index = 0;
        foreach (var record in records.EnumerateArray())
        {
            if (SourceOf(record) is { } named)
            {
                source = named;
                if (named == "aws:sqs") break;
            }

            index++;
        }

        var kind = function.Trigger.Kind;
        switch (source)
        {
            case "aws:sqs" when kind is TriggerKind.Queue or TriggerKind.Topic:
                return await InvokeSqsAsync(function, records, info, cancellationToken).ConfigureAwait(false);
            case "aws:sns" when kind is TriggerKind.Topic:
                await InvokeSnsAsync(function, records, info, cancellationToken).ConfigureAwait(false);
                return ReadOnlyMemory<byte>.Empty;
            case "aws:s3" when kind is TriggerKind.Event:
                await InvokeS3Async(function, records, requestId, info, cancellationToken).ConfigureAwait(false);
                return ReadOnlyMemory<byte>.Empty;
            case null:
                throw new InvalidInputException("No record of the event says where it comes from (eventSource 'aws:sqs', 'aws:sns' or 'aws:s3'), so it cannot be read.");
            default:
                var takes = kind switch
                {
                    TriggerKind.Queue => "SQS events (eventSource 'aws:sqs')",
                    TriggerKind.Topic => "SQS and SNS events (eventSource 'aws:sqs', 'aws:sns')",
                    _ => "S3 and EventBridge events (eventSource 'aws:s3', or a 'detail-type')",
                };
                throw new InvalidInputException($"Function '{function.Name}' takes {takes}; this event's records come from '{EventJson.Shorten(source)}'.");
        }
    }

    /// <summary>
    /// A records event for a blob function: S3 notification records sent to the function (every record read and checked before
    /// any is handled; one that cannot be read refuses the event, as for SNS), or an SQS batch whose messages carry S3
    /// notifications (or EventBridge S3 events): each message handled on its own, a failure listed in <c>batchItemFailures</c>.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>> InvokeBlobRecordsAsync(FunctionDefinition function, JsonElement records, InvocationInfo info, CancellationToken cancellationToken)
    {
        if (records.ValueKind != JsonValueKind.Array || records.GetArrayLength() == 0)
        {
            throw new InvalidInputException($"The event's 'Records' is {(records.ValueKind == JsonValueKind.Array ? "empty" : EventJson.Article(records.ValueKind))}: an S3 or SQS event has an array of at least one record.");
        }

        var source = records.EnumerateArray().Select(SourceOf).FirstOrDefault(s => s is not null);
        if (source == "aws:sqs") return await InvokeBlobSqsAsync(function, records, info, cancellationToken).ConfigureAwait(false);
        if (source != "aws:s3")
        {
            throw new InvalidInputException($"Function '{function.Name}' takes S3 events (eventSource 'aws:s3', directly or in SQS messages) and EventBridge S3 events; this event's records come from {(source is null ? "no named source" : "'" + EventJson.Shorten(source) + "'")}.");
        }

        await InvokeBlobsAsync(function, ReadS3Records(function, records), info, cancellationToken).ConfigureAwait(false);
        return ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>The events of S3 notification records for a blob function; records of other kinds of change are left out.</summary>
    private List<BlobEvent?> ReadS3Records(FunctionDefinition function, JsonElement records)
    {
        var bucket = function.Trigger.Name!;
        var physical = _names.Bucket(bucket);
        var events = new List<BlobEvent?>(records.GetArrayLength());
        var index = 0;
        foreach (var record in records.EnumerateArray())
        {
            events.Add(S3Events.FromRecord(record, $"S3 record {index++.ToString(CultureInfo.InvariantCulture)}", bucket, physical));
        }

        return events;
    }

    /// <summary>Runs a blob function once for each event it subscribes to (<see cref="FunctionTrigger.BlobEvents"/>); the others are logged and left.</summary>
    private async Task InvokeBlobsAsync(FunctionDefinition function, IEnumerable<BlobEvent?> events, InvocationInfo info, CancellationToken cancellationToken)
    {
        var wanted = function.Trigger.BlobEvents ?? (Portable.Blobs.BlobEvents.Created | Portable.Blobs.BlobEvents.Deleted);
        foreach (var blobEvent in events)
        {
            if (blobEvent is null || (wanted & blobEvent.Type) == 0)
            {
                LogBlobEventIgnored(_log, function.Name, blobEvent?.Name ?? "(not a creation or deletion)", blobEvent?.Type.ToString() ?? "other");
                continue;
            }

            await executor.InvokeBlobAsync(function, blobEvent, info with { InvocationId = blobEvent.Id }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An SQS batch for a blob function: each message's body is an S3 notification (its records), S3's test message (done, nothing
    /// invoked) or an EventBridge S3 event. A message that cannot be read or whose function fails is listed in <c>batchItemFailures</c>.
    /// </summary>
    private async Task<byte[]> InvokeBlobSqsAsync(FunctionDefinition function, JsonElement records, InvocationInfo info, CancellationToken cancellationToken)
    {
        var failures = new List<BatchItemFailure>();
        var index = 0;
        foreach (var element in records.EnumerateArray())
        {
            var messageId = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("messageId", out var value) ? EventJson.Text(value) : null;
            if (string.IsNullOrEmpty(messageId))
            {
                throw new InvalidInputException($"SQS record {index.ToString(CultureInfo.InvariantCulture)} has no messageId, so its failure cannot be reported alone (batchItemFailures): the whole batch is refused.");
            }

            index++;
        }

        index = 0;
        var bucket = function.Trigger.Name!;
        foreach (var element in records.EnumerateArray())
        {
            var messageId = EventJson.Text(element.GetProperty("messageId"))!;
            var part = $"SQS record {index++.ToString(CultureInfo.InvariantCulture)} ({EventJson.Shorten(messageId)})";
            List<BlobEvent?> events;
            MessageRecord record;
            try
            {
                record = ReadSqsRecord(element, part, out var sqsBody);
                using var body = EventJson.Parse(sqsBody);
                var root = body.RootElement;
                if (S3Events.IsTestEvent(root))
                {
                    LogS3TestEvent(_log, function.Name);
                    continue;
                }

                events = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Records", out var s3Records) && s3Records.ValueKind == JsonValueKind.Array
                    ? ReadS3Records(function, s3Records)
                    : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("detail-type", out _)
                        ? [S3Events.FromEventBridge(root, bucket, _names.Bucket(bucket))]
                        : throw new InvalidInputException($"{part}'s body is neither an S3 notification ('Records') nor an EventBridge S3 event ('detail-type').");
            }
            catch (InvalidInputException e)
            {
                LogRecordRefused(_log, function.Name, messageId, e.Message);
                failures.Add(new BatchItemFailure(messageId));
                continue;
            }

            var attempt = DeliveryAttempt(record);
            try
            {
                await InvokeBlobsAsync(function, events, info with { DeliveryAttempt = attempt, MessagingSystem = "aws_sqs", MessageId = messageId }, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Every failure of one message becomes a batch item failure; the executor has logged it.
            catch (Exception)
#pragma warning restore CA1031
            {
                failures.Add(new BatchItemFailure(messageId));
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(new BatchResponse(failures), AwsJsonContext.Default.BatchResponse);
    }

    /// <summary>A record's <c>eventSource</c> (SQS, S3) or <c>EventSource</c> (SNS) when it is a string; null otherwise.</summary>
    private static string? SourceOf(JsonElement record)
        => record.ValueKind == JsonValueKind.Object
            && (record.TryGetProperty("eventSource", out var s) || record.TryGetProperty("EventSource", out s)) ? EventJson.Text(s) : null;

    /// <summary>
    /// An SQS batch: each record handled on its own, each failure (an unreadable record, a body the function refuses, a
    /// function that throws) listed in <c>batchItemFailures</c> by its <c>messageId</c>, the other records done.
    /// </summary>
    /// <remarks>
    /// A record without a usable <c>messageId</c> cannot be failed alone: Lambda treats an empty, null or unknown
    /// <c>itemIdentifier</c> as the failure of the whole batch. SQS always sets <c>messageId</c>, so such an event was not sent
    /// by SQS; it is refused whole (<c>Runtime.InvalidEvent</c>) before any record is handled, so no record is handled twice
    /// when the batch comes back. A failed record is received again until the queue's <c>maxReceiveCount</c> (5 in the
    /// generated template), then SQS moves it to the dead-letter queue: SQS offers no way to dead-letter one record at once
    /// from a function, so an unreadable record takes those receives too (each refused again at once, and logged).
    /// </remarks>
    private async Task<byte[]> InvokeSqsAsync(FunctionDefinition function, JsonElement records, InvocationInfo info, CancellationToken cancellationToken)
    {
        var ids = new List<string>(records.GetArrayLength());
        foreach (var element in records.EnumerateArray())
        {
            var id = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("messageId", out var value) ? EventJson.Text(value) : null;
            if (string.IsNullOrEmpty(id))
            {
                throw new InvalidInputException($"SQS record {ids.Count.ToString(CultureInfo.InvariantCulture)} has no messageId, so its failure cannot be reported alone (batchItemFailures): the whole batch is refused, none of it handled.");
            }

            ids.Add(id);
        }

        var failures = new List<BatchItemFailure>();
        var index = 0;
        foreach (var element in records.EnumerateArray())
        {
            var messageId = ids[index];
            var part = $"SQS record {index++.ToString(CultureInfo.InvariantCulture)} ({EventJson.Shorten(messageId)})";
            MessageRecord record;
            byte[] body;
            try
            {
                record = ReadSqsRecord(element, part, out body);
            }
            catch (InvalidInputException e)
            {
                LogRecordRefused(_log, function.Name, messageId, e.Message);
                failures.Add(new BatchItemFailure(messageId));
                continue;
            }

            var attempt = DeliveryAttempt(record);
            // The sender's trace: W3C message attributes first (an SNS envelope's, then the SQS message's), then X-Ray's AWSTraceHeader.
            var notification = function.Trigger.Kind == TriggerKind.Topic ? FromSqsBody(function, body) : null;
            var trace = (notification is null ? null : TraceOf(notification.Attributes.GetValueOrDefault(MessageTrace.TraceParent), notification.Attributes.GetValueOrDefault(MessageTrace.TraceState)))
                ?? TraceOf(record.MessageAttributes?.GetValueOrDefault(MessageTrace.TraceParent)?.StringValue, record.MessageAttributes?.GetValueOrDefault(MessageTrace.TraceState)?.StringValue)
                ?? XRayTrace.ToTraceContext(record.Attributes?.GetValueOrDefault(MessageTrace.AwsTraceHeader))
                ?? info.Trace;
            var messageInfo = info with { InvocationId = messageId, DeliveryAttempt = attempt, Trace = trace, MessagingSystem = "aws_sqs", MessageId = messageId };
            try
            {
                if (notification is not null)
                {
                    await executor.InvokeNotificationAsync(function, notification, messageInfo, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await executor.InvokeMessageAsync(function, body, messageInfo, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Every failure of one message becomes a batch item failure; the executor has logged it.
            catch (Exception)
#pragma warning restore CA1031
            {
                failures.Add(new BatchItemFailure(messageId));
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(new BatchResponse(failures), AwsJsonContext.Default.BatchResponse);
    }

    /// <summary>
    /// An SNS event (Lambda sends one record an invocation, asynchronously). Every record is read before any is handled, and
    /// one that cannot be read refuses the event: an asynchronous invocation has no partial failure, so Lambda retries it
    /// (twice by default) and then sends it to the function's on-failure destination or dead-letter queue.
    /// </summary>
    private async Task InvokeSnsAsync(FunctionDefinition function, JsonElement records, InvocationInfo info, CancellationToken cancellationToken)
    {
        var messages = new List<SnsMessage>(records.GetArrayLength());
        var index = 0;
        foreach (var element in records.EnumerateArray())
        {
            var part = $"SNS record {index++.ToString(CultureInfo.InvariantCulture)}";
            var record = EventJson.Read(element, AwsJsonContext.Default.MessageRecord, part);
            if (record.EventSource != "aws:sns") throw new InvalidInputException($"{part} says its EventSource is {(record.EventSource is null ? "nothing" : "'" + EventJson.Shorten(record.EventSource) + "'")}, not 'aws:sns'.");
            var message = record.Sns ?? throw new InvalidInputException($"{part} has no 'Sns' notification.");
            if (message.Message is null) throw new InvalidInputException($"{part} has no 'Sns.Message'.");
            messages.Add(message);
        }

        foreach (var message in messages)
        {
            var notification = ToNotification(function, message);
            var trace = TraceOf(notification.Attributes.GetValueOrDefault(MessageTrace.TraceParent), notification.Attributes.GetValueOrDefault(MessageTrace.TraceState)) ?? info.Trace;
            var messageInfo = info with { InvocationId = message.MessageId ?? info.InvocationId, Trace = trace, MessagingSystem = "aws_sns", MessageId = message.MessageId };
            await executor.InvokeNotificationAsync(function, notification, messageInfo, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An S3 notification: every record read (and checked) before any is handled; one that cannot be read refuses the event, as for SNS.</summary>
    private async Task InvokeS3Async(FunctionDefinition function, JsonElement records, string requestId, InvocationInfo info, CancellationToken cancellationToken)
    {
        var events = new List<CloudEvent>(records.GetArrayLength());
        var index = 0;
        foreach (var record in records.EnumerateArray())
        {
            events.Add(FromS3(record, index, $"{requestId}-{index.ToString(CultureInfo.InvariantCulture)}"));
            index++;
        }

        foreach (var cloudEvent in events)
        {
            await executor.InvokeEventAsync(function, cloudEvent, info, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An EventBridge event (<c>detail-type</c>): a scheduled event for a schedule function, any event for an event function.</summary>
    private async Task InvokeEventBridgeAsync(FunctionDefinition function, JsonElement root, string requestId, InvocationInfo info, CancellationToken cancellationToken)
    {
        const string Part = "The EventBridge event";
        var e = EventJson.Read(root, AwsJsonContext.Default.PlatformEvent, Part);
        if (string.IsNullOrEmpty(e.DetailType)) throw new InvalidInputException($"{Part} has no 'detail-type'.");
        var time = EventJson.OptionalTime(root, "time", Part);
        var detail = EventJson.OptionalObject(root, "detail", Part);
        if (function.Trigger.Kind == TriggerKind.Schedule)
        {
            if (e.DetailType != "Scheduled Event")
            {
                throw new InvalidInputException($"Function '{function.Name}' takes EventBridge scheduled events ('detail-type': 'Scheduled Event'), not '{EventJson.Shorten(e.DetailType)}'.");
            }

            await executor.InvokeScheduleAsync(function, new ScheduledEvent(function.Name, time ?? DateTimeOffset.UtcNow, function.Trigger.Cron!), info, cancellationToken).ConfigureAwait(false);
            return;
        }

        var cloudEvent = new CloudEvent
        {
            Id = e.Id ?? requestId,
            Source = e.Source ?? "aws.events",
            Type = e.DetailType,
            Subject = e.Resources is [var first, ..] ? first : null,
            Time = time,
            DataContentType = "application/json",
            Data = detail?.Clone(),
        };
        await executor.InvokeEventAsync(function, cloudEvent, info, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A message from an SQS queue subscribed to an SNS topic: the SNS envelope (read from the body's bytes), or the raw body when raw delivery is on.</summary>
    private static Notification FromSqsBody(FunctionDefinition function, byte[] body)
    {
        if (body.AsSpan().TrimStart(" \t\r\n"u8).StartsWith("{"u8))
        {
            try
            {
                var envelope = JsonSerializer.Deserialize(body, AwsJsonContext.Default.SnsMessage);
                if (envelope is { Type: "Notification", Message: not null }) return ToNotification(function, envelope);
            }
            catch (JsonException)
            {
                // Not an SNS envelope: the raw message.
            }
        }

        return new Notification(function.Trigger.Name!, body);
    }

    private static Notification ToNotification(FunctionDefinition function, SnsMessage message) => new(function.Trigger.Name!, message.Message ?? [])
    {
        Subject = message.Subject,
        Attributes = (message.MessageAttributes ?? []).Where(a => a.Value?.Value is not null).ToDictionary(a => a.Key, a => a.Value.Value!, StringComparer.Ordinal),
    };

    /// <summary>The CloudEvent of one S3 record; its data is the record. The fields read must have their types.</summary>
    /// <exception cref="InvalidInputException">The record is not an object, or a field read has the wrong type.</exception>
    private static CloudEvent FromS3(JsonElement record, int index, string fallbackId)
    {
        var part = $"S3 record {index.ToString(CultureInfo.InvariantCulture)}";
        if (record.ValueKind != JsonValueKind.Object) throw new InvalidInputException($"{part} is {EventJson.Article(record.ValueKind)}, not an object.");
        var source = SourceOf(record);
        if (source != "aws:s3") throw new InvalidInputException($"{part} says its eventSource is {(source is null ? "nothing" : "'" + EventJson.Shorten(source) + "'")}, not 'aws:s3'.");
        var name = EventJson.OptionalString(record, "eventName", part) ?? "Unknown";
        var s3 = EventJson.OptionalObject(record, "s3", part);
        var bucketElement = s3 is { } s ? EventJson.OptionalObject(s, "bucket", part + " s3") : null;
        var objectElement = s3 is { } s2 ? EventJson.OptionalObject(s2, "object", part + " s3") : null;
        var bucket = bucketElement is { } b ? EventJson.OptionalString(b, "name", part + " s3.bucket") : null;
        var key = objectElement is { } o ? EventJson.OptionalString(o, "key", part + " s3.object") : null;
        var sequencer = objectElement is { } o2 ? EventJson.OptionalString(o2, "sequencer", part + " s3.object") : null;
        var id = EventJson.OptionalObject(record, "responseElements", part) is { } r ? EventJson.OptionalString(r, "x-amz-request-id", part + " responseElements") : null;
        return new CloudEvent
        {
            Id = id is null ? fallbackId : sequencer is null ? id : id + "-" + sequencer,
            Source = bucket is null ? "aws:s3" : "arn:aws:s3:::" + bucket,
            Type = "aws.s3." + name,
            Subject = key is null ? null : Uri.UnescapeDataString(key.Replace('+', ' ')),
            Time = EventJson.OptionalTime(record, "eventTime", part),
            DataContentType = "application/json",
            Data = record.Clone(),
        };
    }

    /// <summary>The W3C context of a message's <c>traceparent</c> attribute; null when it is missing or malformed, so the next source is tried.</summary>
    private static TraceContext? TraceOf(string? traceParent, string? traceState)
        => TraceContext.TryParse(traceParent, traceState, out var context) ? context : null;

    private static InvocationInfo Info(LambdaInvocation invocation)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [RequestIdProperty] = invocation.RequestId,
        };
        if (invocation.FunctionArn is not null) properties[FunctionArnProperty] = invocation.FunctionArn;
        if (invocation.ClientContext is not null) properties[ClientContextProperty] = invocation.ClientContext;
        if (invocation.CognitoIdentity is not null) properties[CognitoIdentityProperty] = invocation.CognitoIdentity;
        if (invocation.TraceHeader is not null) properties[TraceHeaderProperty] = invocation.TraceHeader;
        return new InvocationInfo
        {
            InvocationId = invocation.RequestId,
            Deadline = invocation.Deadline,
            Trace = XRayTrace.ToTraceContext(invocation.TraceHeader),
            Properties = properties,
        };
    }

    /// <summary>One record of an SQS event and its body: it says it is from SQS and has a body, else it is refused (a batch item failure).</summary>
    private static MessageRecord ReadSqsRecord(JsonElement element, string part, out byte[] body)
    {
        var record = EventJson.Read(element, AwsJsonContext.Default.MessageRecord, part);
        if (record.EventSource != "aws:sqs") throw new InvalidInputException($"{part} says its eventSource is {(record.EventSource is null ? "nothing" : "'" + EventJson.Shorten(record.EventSource) + "'")}, not 'aws:sqs'.");
        body = record.Body ?? throw new InvalidInputException($"{part} has no body.");
        return record;
    }

    /// <summary>The record's delivery attempt: its <c>ApproximateReceiveCount</c>, 1 when missing or unreadable.</summary>
    private static int DeliveryAttempt(MessageRecord record)
        => record.Attributes?.GetValueOrDefault("ApproximateReceiveCount") is { } count
            && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;

    [LoggerMessage(1, LogLevel.Warning, "{FunctionName} refused SQS message {MessageId}, which is listed in batchItemFailures: {Reason}")]
    private static partial void LogRecordRefused(ILogger logger, string functionName, string messageId, string reason);

    [LoggerMessage(2, LogLevel.Information, "{FunctionName} received S3's test event (sent when a notification is configured): answered without invoking the function")]
    private static partial void LogS3TestEvent(ILogger logger, string functionName);

    [LoggerMessage(3, LogLevel.Information, "{FunctionName} left an S3 change to {ObjectName} ({Change}): the function does not subscribe to it")]
    private static partial void LogBlobEventIgnored(ILogger logger, string functionName, string objectName, string change);
}
