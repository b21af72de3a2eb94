using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Portable.Aws.Runtime;
using Portable.Hosting;

namespace Portable.Aws.Events;

/// <summary>
/// Maps one Lambda event onto the function's trigger and runs it through <see cref="FunctionExecutor"/>: HTTP events go
/// through the <see cref="HttpDispatcher"/> every platform uses and are answered in their source's shape, SQS batches answer <c>batchItemFailures</c>,
/// SNS, EventBridge and S3 events reach topic, schedule and event functions, and any other JSON is a direct invocation.
/// </summary>
internal sealed class AwsEventDispatcher(FunctionCatalog catalog, FunctionExecutor executor, HttpDispatcher httpDispatcher)
{
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
    /// Handles one event for a function. The event is read once, straight from its bytes, into the shape the function's
    /// trigger takes (HTTP event, SQS / SNS records, EventBridge or S3); JSON that is not that shape is a direct invocation.
    /// </summary>
    /// <returns>The response payload; empty for functions that return nothing.</returns>
    /// <exception cref="InvalidInputException">The event cannot be read.</exception>
    public async Task<byte[]> DispatchAsync(FunctionDefinition function, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(invocation);
        var payload = invocation.Payload.Span.StartsWith("\uFEFF"u8) ? invocation.Payload[3..] : invocation.Payload;
        var info = Info(invocation);
        switch (function.Trigger.Kind)
        {
            case TriggerKind.Http:
                if (Read(payload, AwsJsonContext.Default.HttpEvent) is { } http && HttpEvents.TryGetKind(http, out var kind))
                {
                    return await InvokeHttpAsync(http, kind, info, cancellationToken).ConfigureAwait(false);
                }

                break;
            case TriggerKind.Queue or TriggerKind.Topic:
                var messages = Read(payload, AwsJsonContext.Default.MessageEvent);
                if (messages is not null && messages.IsFrom("aws:sqs"))
                {
                    return await InvokeSqsAsync(function, messages.Records!, info, cancellationToken).ConfigureAwait(false);
                }

                if (function.Trigger.Kind == TriggerKind.Topic && messages is not null && messages.IsFrom("aws:sns"))
                {
                    await InvokeSnsAsync(function, messages.Records!, info, cancellationToken).ConfigureAwait(false);
                    return [];
                }

                break;
            case TriggerKind.Schedule:
                if (Read(payload, AwsJsonContext.Default.PlatformEvent) is { IsEventBridge: true, DetailType: "Scheduled Event" } scheduled)
                {
                    var time = ParseTime(scheduled.Time) ?? DateTimeOffset.UtcNow;
                    await executor.InvokeScheduleAsync(function, new ScheduledEvent(function.Name, time, function.Trigger.Cron!), info, cancellationToken).ConfigureAwait(false);
                    return [];
                }

                break;
            case TriggerKind.Event:
                var platformEvent = Read(payload, AwsJsonContext.Default.PlatformEvent);
                if (platformEvent is { IsS3: true })
                {
                    var index = 0;
                    foreach (var record in platformEvent.Records!)
                    {
                        await executor.InvokeEventAsync(function, FromS3(record, $"{invocation.RequestId}-{index++}"), info, cancellationToken).ConfigureAwait(false);
                    }

                    return [];
                }

                if (platformEvent is { IsEventBridge: true })
                {
                    await executor.InvokeEventAsync(function, FromEventBridge(platformEvent, invocation.RequestId), info, cancellationToken).ConfigureAwait(false);
                    return [];
                }

                break;
        }

        return await executor.InvokeJsonAsync(function, payload, info, cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <summary>The event in the trigger's shape; null when it is JSON of another shape (a direct invocation).</summary>
    /// <exception cref="InvalidInputException">The event is not JSON.</exception>
    private static T? Read<T>(ReadOnlyMemory<byte> payload, JsonTypeInfo<T> shape)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(payload.Span, shape);
        }
        catch (JsonException) when (IsJson(payload.Span))
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"The event is not JSON: {e.Message}", e);
        }
    }

    /// <summary>Whether the bytes are one well-formed JSON value: asked only when they did not read as the trigger's shape.</summary>
    private static bool IsJson(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static DateTimeOffset? ParseTime(string? text)
        => text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;

    private async Task<byte[]> InvokeHttpAsync(HttpEvent http, HttpEventKind kind, InvocationInfo info, CancellationToken cancellationToken)
    {
        HttpResponseData response;
        try
        {
            var request = HttpEvents.ToRequest(http, kind);
            response = request.Body.Length > MaxRequestBodyBytes
                ? httpDispatcher.TooLarge(request.Method, request.Path, MaxRequestBodyBytes, "Lambda's 6 MB payload limit")
                : await httpDispatcher.DispatchAsync(request, info, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidInputException e)
        {
            response = httpDispatcher.BadRequest(http.HttpMethod ?? "?", http.Path ?? "?", e.Message, info.InvocationId);
        }

        return JsonSerializer.SerializeToUtf8Bytes(HttpEvents.ToResult(response, kind), AwsJsonContext.Default.HttpResult);
    }

    private async Task<byte[]> InvokeSqsAsync(FunctionDefinition function, List<MessageRecord> records, InvocationInfo info, CancellationToken cancellationToken)
    {
        var failures = new List<BatchItemFailure>();
        foreach (var record in records)
        {
            if (string.IsNullOrEmpty(record.MessageId)) throw new InvalidInputException("An SQS record has no messageId.");
            var attempt = record.Attributes?.GetValueOrDefault("ApproximateReceiveCount") is { } count
                && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
            var trace = XRayTrace.ToTraceContext(record.Attributes?.GetValueOrDefault("AWSTraceHeader")) ?? info.Trace;
            var messageInfo = info with { InvocationId = record.MessageId, DeliveryAttempt = attempt, Trace = trace };
            var body = record.Body ?? [];
            try
            {
                if (function.Trigger.Kind == TriggerKind.Topic)
                {
                    await executor.InvokeNotificationAsync(function, FromSqsBody(function, body), messageInfo, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await executor.InvokeMessageAsync(function, body, messageInfo, cancellationToken).ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // Every failure of one message becomes a batch item failure; the executor has logged it.
            catch (Exception)
#pragma warning restore CA1031
            {
                failures.Add(new BatchItemFailure(record.MessageId));
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(new BatchResponse(failures), AwsJsonContext.Default.BatchResponse);
    }

    private async Task InvokeSnsAsync(FunctionDefinition function, List<MessageRecord> records, InvocationInfo info, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            var message = record.Sns ?? throw new InvalidInputException("An SNS record has no Sns field.");
            await executor.InvokeNotificationAsync(function, ToNotification(function, message), info with { InvocationId = message.MessageId ?? info.InvocationId }, cancellationToken).ConfigureAwait(false);
        }
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

    private static CloudEvent FromS3(JsonElement record, string fallbackId)
    {
        var name = Text(record, "eventName") ?? "Unknown";
        var s3 = record.TryGetProperty("s3", out var s) ? s : default;
        var bucket = s3.ValueKind == JsonValueKind.Object && s3.TryGetProperty("bucket", out var b) ? Text(b, "name") : null;
        var key = s3.ValueKind == JsonValueKind.Object && s3.TryGetProperty("object", out var o) ? Text(o, "key") : null;
        var id = record.TryGetProperty("responseElements", out var r) && r.ValueKind == JsonValueKind.Object ? Text(r, "x-amz-request-id") : null;
        var sequencer = s3.ValueKind == JsonValueKind.Object && s3.TryGetProperty("object", out var o2) ? Text(o2, "sequencer") : null;
        return new CloudEvent
        {
            Id = id is null ? fallbackId : sequencer is null ? id : id + "-" + sequencer,
            Source = bucket is null ? "aws:s3" : "arn:aws:s3:::" + bucket,
            Type = "aws.s3." + name,
            Subject = key is null ? null : Uri.UnescapeDataString(key.Replace('+', ' ')),
            Time = record.TryGetProperty("eventTime", out var t) && t.TryGetDateTimeOffset(out var time) ? time : null,
            DataContentType = "application/json",
            Data = record,
        };
    }

    private static CloudEvent FromEventBridge(PlatformEvent e, string fallbackId) => new()
    {
        Id = e.Id ?? fallbackId,
        Source = e.Source ?? "aws.events",
        Type = e.DetailType!,
        Subject = e.Resources is [var first, ..] ? first : null,
        Time = ParseTime(e.Time),
        DataContentType = "application/json",
        Data = e.Detail,
    };

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

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
}
