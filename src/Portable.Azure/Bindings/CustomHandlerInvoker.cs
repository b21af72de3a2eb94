using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portable.Blobs;
using Portable.Hosting;

namespace Portable.Azure.Bindings;

/// <summary>
/// Runs one custom-handler invocation (<c>POST /{FunctionName}</c> with <c>{"Data":…,"Metadata":…}</c>) through the
/// <see cref="FunctionExecutor"/>, and answers the document the Functions host expects. A failed invocation answers 500, so the
/// host's retries and poison queue apply; an HTTP function's failure is its <c>res</c> output (500 problem) instead. A payload
/// that cannot be read is never an exception: it answers 400 with a <c>Logs</c> line (an HTTP function: a <c>res</c> 400 problem),
/// and the same line is logged. A queue message that cannot be read goes to the poison queue at once when one is configured.
/// What a function that declares sends sends to those queues is collected (<see cref="QueueOutputCollector"/>) and answered as queue outputs when the invocation
/// succeeded, for the host to write; when it failed, the messages are dropped. Used by the Kestrel handler and by
/// <see cref="Portable.Testing.AzureTestDriver"/>.
/// </summary>
internal sealed partial class CustomHandlerInvoker(
    FunctionCatalog catalog,
    FunctionExecutor executor,
    HttpDispatcher dispatcher,
    AzureOptions options,
    TimeProvider time,
    ILogger<CustomHandlerInvoker> log,
    IPoisonQueue? poison = null)
{
    private readonly Dictionary<FunctionDefinition, IReadOnlyDictionary<string, string>> _queueOutputs =
        catalog.Functions.Where(f => f.Sends.Count > 0).ToDictionary(f => f, BindingNames.QueueOutputs);

    /// <summary>Each HTTP function's route, parsed once: the host invokes a function only for a URL its route matches.</summary>
    private readonly Dictionary<FunctionDefinition, RouteTemplate> _routes =
        catalog.Functions.Where(f => f.Trigger.Kind == TriggerKind.Http).ToDictionary(f => f, f => RouteTemplate.Parse(f.Trigger.Route!));

    public FunctionCatalog Catalog => catalog;

    /// <summary>
    /// Reads the payload, then runs the function. The payload is read at once: what the function needs is taken from it
    /// (<see cref="InvocationInput"/>), and its JSON document is gone before the function runs. The payload is the invoker's to
    /// overwrite: a queue message or an HTTP body is a slice of it, unescaped where it is, never a copy. Bad input never
    /// throws: it answers a client error with a <c>Logs</c> line, and the same line goes to the log.
    /// </summary>
    public Task<HandlerResponse> InvokeAsync(string functionName, Memory<byte> payload, HandlerCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var function = catalog.Find(functionName);
        if (function is null)
        {
            var names = string.Join(", ", catalog.Functions.Select(f => f.Name));
            LogUnknownFunction(log, functionName, call.InvocationId ?? "none", names);
            return Task.FromResult(InvocationResult.Failure(404, $"The host invoked {functionName}, which this app does not have (it has: {names})."));
        }

        var invocationId = string.IsNullOrEmpty(call.InvocationId) ? Guid.NewGuid().ToString() : call.InvocationId;
        InvocationInput input;
        try
        {
            input = Read(function, payload, call, invocationId);
        }
        catch (InvalidInputException e)
        {
            return Task.FromResult(Refuse(function, invocationId, e.Message, e.Errors));
        }
        catch (JsonException e)
        {
            return Task.FromResult(Refuse(function, invocationId, $"The invocation payload is not JSON: {e.Message}", null));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            // A value the readers above did not foresee: still the payload's fault, and still answered, not an empty 500.
            return Task.FromResult(Refuse(function, invocationId, $"The invocation payload cannot be read: {e.Message}", null));
        }

        return RunAsync(function, input, cancellationToken);
    }

    /// <summary>
    /// The answer to a payload that cannot be read, logged once with the line the host gets in <c>Logs</c>. An HTTP function
    /// answers as any invalid HTTP input is answered: a succeeded invocation whose <c>res</c> is a 400 problem. Any other function
    /// answers 400, which the host counts as a failed invocation: for a queue trigger it retries the message until
    /// <c>maxDequeueCount</c> (5 by default) and then moves it to <c>{queue}-poison</c>, so it is never retried forever.
    /// </summary>
    private HandlerResponse Refuse(FunctionDefinition function, string invocationId, string reason, IReadOnlyDictionary<string, string[]>? errors)
    {
        LogBadPayload(log, function.Name, invocationId, reason);
        var line = $"{function.Name}: the invocation payload was refused (invocation {invocationId}): {reason}";
        return function.Trigger.Kind == TriggerKind.Http
            ? InvocationResult.Success([line], HttpResponseData.Problem(400, "Bad Request", reason, errors, invocationId))
            : InvocationResult.Failure(400, line);
    }

    /// <summary>Takes what the function needs from the payload; throws for a payload that cannot be read.</summary>
    private InvocationInput Read(FunctionDefinition function, Memory<byte> payload, HandlerCall call, string invocationId)
    {
        // The JSON reader checks only the strings it is asked to decode: invalid UTF-8 anywhere else (a CESU-8 surrogate, a
        // stray 0xFF) would be accepted silently. The host sends UTF-8, so the whole payload is checked once (vectorized), before
        // the readers unescape strings in place; a reader's own, more precise reason (which member is not valid text) wins.
        var utf8 = System.Text.Unicode.Utf8.IsValid(payload.Span);
        var input = ReadInput(function, payload, call, invocationId);
        return utf8 ? input
            : throw new InvalidInputException("$", "The invocation payload is not valid UTF-8 (an invalid byte or an encoded surrogate); the host sends UTF-8 JSON.");
    }

    private InvocationInput ReadInput(FunctionDefinition function, Memory<byte> payload, HandlerCall call, string invocationId)
    {
        if (payload.Span.StartsWith("\uFEFF"u8)) payload = payload[3..];
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInputException("$", $"The invocation payload is {PayloadReader.Describe(root)}; the host sends {{\"Data\":{{…}},\"Metadata\":{{…}}}}.");
        }

        PayloadReader.TryGetProperty(root, "Data", out var data);
        PayloadReader.TryGetProperty(root, "Metadata", out var metadata);
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInputException("Data", $"The invocation payload's Data is {PayloadReader.Describe(data)}, not an object; the host sends {{\"Data\":{{…}},\"Metadata\":{{…}}}}.");
        }

        if (metadata.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw new InvalidInputException("Metadata", $"The invocation payload's Metadata is {PayloadReader.Describe(metadata)}, not an object.");
        }

        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (function.Trigger.Kind == TriggerKind.Schedule && PayloadReader.TryFindTrigger(data, BindingNames.Timer, out var timer)
            && PayloadReader.GetString(timer, "IsPastDue") is { } pastDue)
        {
            properties[BindingNames.TimerIsPastDueProperty] = pastDue == "true";
        }

        var info = CreateInfo(invocationId, call, metadata, properties);
        switch (function.Trigger.Kind)
        {
            case TriggerKind.Http:
                return new InvocationInput(info) { Request = PayloadReader.ReadHttpRequest(PayloadReader.FindTrigger(data, BindingNames.HttpRequest), options.NormalizedRoutePrefix, payload) };
            case TriggerKind.Queue:
                // The message's own context (the $traceparent its sender put in it) is the span's parent; else the host's header.
                var message = QueueMessageTrace.Detach(PayloadReader.ReadMessage(PayloadReader.FindTrigger(data, BindingNames.QueueMessage), payload), out var carried);
                var messageId = PayloadReader.GetString(metadata, "Id");
                return new InvocationInput(info with { Trace = carried ?? info.Trace, MessagingSystem = QueueMessageTrace.MessagingSystem, MessageId = messageId })
                {
                    Message = message,
                    MessageId = messageId,
                };
            case TriggerKind.Schedule:
                return new InvocationInput(info) { Schedule = new ScheduledEvent(function.Name, ReadTimerTime(metadata), function.Trigger.Cron!) };
            case TriggerKind.Topic:
                var notice = PayloadReader.ReadEvent(PayloadReader.FindTrigger(data, BindingNames.Event));
                var notification = PayloadReader.ReadNotification(function.Trigger.Name!, notice);
                return new InvocationInput(info with { Trace = CarriedTrace(notice) ?? info.Trace, MessagingSystem = QueueMessageTrace.EventGridSystem, MessageId = notice.Id })
                {
                    Notification = notification,
                };
            case TriggerKind.Blob:
                if (data.TryGetProperty(BindingNames.Blob, out _) || LooksLikeBlob(metadata))
                {
                    return new InvocationInput(info) { Blob = StorageBlobEvent.FromBlobTrigger(metadata, invocationId) };
                }

                var storageEvent = PayloadReader.ReadEvent(PayloadReader.FindTrigger(data, BindingNames.Event));
                return new InvocationInput(info with { Trace = CarriedTrace(storageEvent) ?? info.Trace, MessageId = storageEvent.Id })
                {
                    Event = storageEvent,
                    Blob = StorageBlobEvent.FromEventGrid(storageEvent),
                };
            default:
                var cloudEvent = data.TryGetProperty(BindingNames.Blob, out var blob) || LooksLikeBlob(metadata)
                    ? PayloadReader.ReadBlob(blob.ValueKind == JsonValueKind.Undefined ? PayloadReader.FindTrigger(data, BindingNames.Blob) : blob, metadata, invocationId)
                    : PayloadReader.ReadEvent(PayloadReader.FindTrigger(data, BindingNames.Event));
                return new InvocationInput(info with { Trace = CarriedTrace(cloudEvent) ?? info.Trace }) { Event = cloudEvent };
        }
    }

    private async Task<HandlerResponse> RunAsync(FunctionDefinition function, InvocationInput input, CancellationToken cancellationToken)
    {
        var info = input.Info;
        var queues = _queueOutputs.TryGetValue(function, out var bindings) ? new QueueOutputCollector(bindings) : null;
        InvocationOutbox.Current = queues;
        try
        {
            return function.Trigger.Kind switch
            {
                TriggerKind.Http => await InvokeHttpAsync(function, input.Request!, info, queues, cancellationToken).ConfigureAwait(false),
                TriggerKind.Queue => await InvokeQueueAsync(function, input, queues, cancellationToken).ConfigureAwait(false),
                TriggerKind.Schedule => await RunAsync(function, info, queues, () => executor.InvokeScheduleAsync(function, input.Schedule!, info, cancellationToken)).ConfigureAwait(false),
                TriggerKind.Topic => await RunAsync(function, info, queues, () => executor.InvokeNotificationAsync(function, input.Notification!, info, cancellationToken)).ConfigureAwait(false),
                TriggerKind.Blob => await InvokeBlobAsync(function, input, queues, cancellationToken).ConfigureAwait(false),
                _ => await InvokeEventAsync(function, input.Event!, info, queues, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not the function's failure (the executor answers those): a fault of the adapter's, still answered with a line.
            LogUnexpected(log, e, function.Name, info.InvocationId!);
            return InvocationResult.Failure(500, $"{function.Name} could not be invoked ({Ids(info)}): {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            InvocationOutbox.Current = null;
            if (queues?.Close() is > 0 and var dropped) LogOutputsDropped(log, function.Name, info.InvocationId!, dropped);
        }
    }

    private static InvocationInfo CreateInfo(string invocationId, HandlerCall call, JsonElement metadata, Dictionary<string, object?> properties)
    {
        var attempt = 1;
        if (metadata.ValueKind == JsonValueKind.Object)
        {
            properties[BindingNames.MetadataProperty] = metadata.Clone();
            if (PayloadReader.TryGetProperty(metadata, "RetryContext", out var retry) && retry.ValueKind == JsonValueKind.Object)
            {
                var retryCount = PayloadReader.GetInt(retry, "RetryCount") ?? 0;
                properties[BindingNames.RetryContextProperty] = retry.Clone();
                properties[BindingNames.RetryCountProperty] = retryCount;
                properties[BindingNames.MaxRetryCountProperty] = PayloadReader.GetInt(retry, "MaxRetryCount");
                attempt = retryCount + 1;
            }

            if (PayloadReader.GetInt(metadata, "DequeueCount") is { } dequeueCount)
            {
                properties[BindingNames.QueueDequeueCountProperty] = dequeueCount;
                attempt = Math.Max(attempt, dequeueCount);
            }

            if (PayloadReader.GetString(metadata, "Id") is { } messageId) properties[BindingNames.QueueMessageIdProperty] = messageId;
            if (PayloadReader.GetDate(metadata, "InsertionTime") is { } inserted) properties[BindingNames.QueueInsertionTimeProperty] = inserted;
            if (PayloadReader.GetString(metadata, "PopReceipt") is { } popReceipt) properties[BindingNames.QueuePopReceiptProperty] = popReceipt;
        }

        return new InvocationInfo
        {
            InvocationId = invocationId,
            Trace = TraceContext.ParseOrNew(call.TraceParent, call.TraceState),
            DeliveryAttempt = Math.Max(1, attempt),
            Properties = properties,
        };
    }

    /// <summary>The context an event carries in the CloudEvents distributed-tracing extension (<c>traceparent</c>, <c>tracestate</c>), if valid.</summary>
    private static TraceContext? CarriedTrace(CloudEvent cloudEvent)
    {
        if (cloudEvent.Extensions is not { } extensions || !extensions.TryGetValue("traceparent", out var parent) || parent.ValueKind != JsonValueKind.String) return null;
        var state = extensions.TryGetValue("tracestate", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        return TraceContext.TryParse(parent.GetString(), state, out var context) ? context : null;
    }

    private DateTimeOffset ReadTimerTime(JsonElement metadata)
        => PayloadReader.TryGetProperty(metadata, "sys", out var sys) && PayloadReader.GetDate(sys, "UtcNow") is { } now ? now : time.GetUtcNow();

    private async Task<HandlerResponse> InvokeHttpAsync(FunctionDefinition function, HttpRequestData request, InvocationInfo info, QueueOutputCollector? queues, CancellationToken cancellationToken)
    {
        if (!_routes[function].TryMatch(request.Path, out _))
        {
            // Data.req's URL is not the function's route, with or without parameters: the Functions host invokes a function only
            // for a URL its route matches, so this payload was not made by it. (HttpRouter.MatchOne lets a route without
            // parameters take any path, as a Cloud Run service does; that is not so here.) The 404 problem every platform
            // answers, and the host is told why in Logs.
            LogRouteMismatch(log, function.Name, request.Method, request.Path, function.Trigger.Route!, info.InvocationId!);
            var notFound = HttpResponseData.NotFound($"No function is mapped to {request.Method} {request.Path}: {function.Name} answers {function.Trigger.Method} {function.Trigger.Route}.");
            return InvocationResult.Success([$"{function.Name}: {request.Method} {request.Path} does not match its route {function.Trigger.Route} ({Ids(info)}); answered 404."], notFound);
        }

        var response = await dispatcher.DispatchToAsync(function, request, info, cancellationToken).ConfigureAwait(false);

        // A 4xx the function answered is an answer: its sends are written. A failure's are dropped, and the host is told in Logs.
        return response.StatusCode >= 500
            ? InvocationResult.Success([$"{function.Name} failed ({Ids(info)}): {response.StatusCode}"], response)
            : InvocationResult.Success([], response, queues);
    }

    private async Task<HandlerResponse> InvokeQueueAsync(FunctionDefinition function, InvocationInput input, QueueOutputCollector? queues, CancellationToken cancellationToken)
    {
        var info = input.Info;
        try
        {
            await executor.InvokeMessageAsync(function, input.Message, info, cancellationToken).ConfigureAwait(false);
            return InvocationResult.Success([], queues: queues);
        }
        catch (InvalidInputException e) when (poison is not null)
        {
            var poisonQueue = function.Trigger.Name + "-poison";
            try
            {
                await poison.SendAsync(function.Trigger.Name!, input.Message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Not put aside: a failed invocation, so the host's retries end in its own poison queue (never retried forever).
                LogPoisonFailed(log, failure, function.Name, info.InvocationId!, poisonQueue, e.Message);
                return InvocationResult.Failure(400,
                    $"{function.Name} refused the message ({Ids(info)}): {e.Message} It could not be put on {poisonQueue} ({failure.GetType().Name}: {failure.Message}), so the host retries it until its poison queue takes it.");
            }

            var line = $"The message {input.MessageId} cannot be read and went to {poisonQueue} without retries ({Ids(info)}): {e.Message}";
            LogPoisoned(log, function.Name, info.InvocationId!, poisonQueue);
            executor.RecordDeadLetter(function, "invalid_input");
            return InvocationResult.Success([line]);
        }
        catch (InvalidInputException e)
        {
            // The executor has logged the refusal. 400, not 2xx: without a poison queue of ours, the host's retries end in its own.
            return InvocationResult.Failure(400, $"{function.Name} refused the message ({Ids(info)}): {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return InvocationResult.Failure(500, $"{function.Name} failed ({Ids(info)}): {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<HandlerResponse> InvokeEventAsync(FunctionDefinition function, CloudEvent cloudEvent, InvocationInfo info, QueueOutputCollector? queues, CancellationToken cancellationToken)
    {
        var wanted = function.Trigger.EventType!;
        if (wanted != "*" && !string.Equals(wanted, cloudEvent.Type, StringComparison.Ordinal))
        {
            LogSkipped(log, function.Name, cloudEvent.Type, wanted);
            return InvocationResult.Success([$"{function.Name} takes {wanted} events; {cloudEvent.Type} event {cloudEvent.Id} was skipped."]);
        }

        return await RunAsync(function, info, queues, () => executor.InvokeEventAsync(function, cloudEvent, info, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a blob function for an event of its bucket and kind; an event of another kind, another container or another change
    /// (a subscription wider than its filter) is skipped with a log line and answered 200, so Event Grid does not retry it.
    /// </summary>
    private async Task<HandlerResponse> InvokeBlobAsync(FunctionDefinition function, InvocationInput input, QueueOutputCollector? queues, CancellationToken cancellationToken)
    {
        var bucket = function.Trigger.Name!;
        var wanted = function.Trigger.BlobEvents ?? BlobEvents.Created;
        var blobEvent = input.Blob;
        var reason = blobEvent is null ? $"a {input.Event?.Type} event is not a blob change"
            : !string.Equals(blobEvent.Bucket, bucket, StringComparison.Ordinal) ? $"the event is for container '{blobEvent.Bucket}', not '{bucket}'"
            : (wanted & blobEvent.Type) == 0 ? $"it takes {wanted}, not {blobEvent.Type}"
            : null;
        if (reason is not null)
        {
            var id = blobEvent?.Id ?? input.Event?.Id ?? input.Info.InvocationId!;
            LogBlobSkipped(log, function.Name, id, reason);
            return InvocationResult.Success([$"{function.Name} skipped event {id}: {reason}."]);
        }

        return await RunAsync(function, input.Info, queues, () => executor.InvokeBlobAsync(function, blobEvent!, input.Info, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The ids a <c>Logs</c> line carries: the invocation id and the W3C trace id of the invocation's span (the message's carried
    /// trace when it had one, which may differ from the host's own operation id), so the line can be found from the trace.
    /// </summary>
    private static string Ids(InvocationInfo info) => $"invocation {info.InvocationId}, trace {info.Trace?.TraceId}";

    private static bool LooksLikeBlob(JsonElement metadata)
        => PayloadReader.TryGetProperty(metadata, "BlobTrigger", out _) || (PayloadReader.TryGetProperty(metadata, "Uri", out _) && PayloadReader.TryGetProperty(metadata, "Properties", out _));

    private static async Task<HandlerResponse> RunAsync(FunctionDefinition function, InvocationInfo info, QueueOutputCollector? queues, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
            return InvocationResult.Success([], queues: queues);
        }
        catch (InvalidInputException e)
        {
            return InvocationResult.Failure(400, $"{function.Name} refused its input ({Ids(info)}): {e.Message}");
        }
        catch (Exception e)
        {
            return InvocationResult.Failure(500, $"{function.Name} failed ({Ids(info)}): {e.GetType().Name}: {e.Message}");
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "The host invoked {FunctionName}, which this app does not have (invocation {InvocationId}; it has: {Functions})")]
    private static partial void LogUnknownFunction(ILogger logger, string functionName, string invocationId, string functions);

    [LoggerMessage(2, LogLevel.Warning, "{FunctionName}: the invocation payload was refused (invocation {InvocationId}): {Reason}")]
    private static partial void LogBadPayload(ILogger logger, string functionName, string invocationId, string reason);

    [LoggerMessage(3, LogLevel.Warning, "{FunctionName}: an unreadable message went to {PoisonQueue} without retries (invocation {InvocationId})")]
    private static partial void LogPoisoned(ILogger logger, string functionName, string invocationId, string poisonQueue);

    [LoggerMessage(4, LogLevel.Information, "{FunctionName} skipped a {EventType} event; it takes {Wanted}")]
    private static partial void LogSkipped(ILogger logger, string functionName, string eventType, string wanted);

    [LoggerMessage(5, LogLevel.Information, "{FunctionName} did not succeed, so the {Count} queue message(s) it sent are dropped, not written (invocation {InvocationId})")]
    private static partial void LogOutputsDropped(ILogger logger, string functionName, string invocationId, int count);

    [LoggerMessage(6, LogLevel.Warning, "{FunctionName}: {Method} {Path} does not match its route {Route} (invocation {InvocationId}); answered 404")]
    private static partial void LogRouteMismatch(ILogger logger, string functionName, string method, string path, string route, string invocationId);

    [LoggerMessage(8, LogLevel.Warning, "{FunctionName} refused the message (invocation {InvocationId}) and it could not be put on {PoisonQueue}, so the host will retry it: {Reason}")]
    private static partial void LogPoisonFailed(ILogger logger, Exception exception, string functionName, string invocationId, string poisonQueue, string reason);

    [LoggerMessage(9, LogLevel.Information, "{FunctionName} skipped event {EventId}: {Reason}")]
    private static partial void LogBlobSkipped(ILogger logger, string functionName, string eventId, string reason);

    [LoggerMessage(7, LogLevel.Error, "{FunctionName} could not be invoked (invocation {InvocationId})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string functionName, string invocationId);
}
