using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portable.Hosting;

namespace Portable.Azure.Bindings;

/// <summary>
/// Runs one custom-handler invocation (<c>POST /{FunctionName}</c> with <c>{"Data":…,"Metadata":…}</c>) through the
/// <see cref="FunctionExecutor"/>, and answers the document the Functions host expects. A failed invocation answers 500, so the
/// host's retries and poison queue apply; an HTTP function's failure is its <c>res</c> output (500 problem) instead. A queue
/// message that cannot be read goes to the poison queue at once when one is configured. What a function that declares sends
/// sends to those queues is collected (<see cref="QueueOutputCollector"/>) and answered as queue outputs when the invocation
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

    public FunctionCatalog Catalog => catalog;

    public async Task<HandlerResponse> InvokeAsync(string functionName, ReadOnlyMemory<byte> payload, HandlerCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var function = catalog.Find(functionName);
        if (function is null)
        {
            LogUnknownFunction(log, functionName);
            return InvocationResult.Failure(404, $"No function named '{functionName}'. This app has: {string.Join(", ", catalog.Functions.Select(f => f.Name))}.");
        }

        var invocationId = string.IsNullOrEmpty(call.InvocationId) ? Guid.NewGuid().ToString() : call.InvocationId;
        JsonDocument document;
        try
        {
            var span = payload.Span;
            if (span.StartsWith("\uFEFF"u8)) span = span[3..];
            document = JsonDocument.Parse(span.ToArray());
        }
        catch (JsonException e)
        {
            LogBadPayload(log, function.Name, invocationId, e.Message);
            return InvocationResult.Failure(400, $"The invocation payload is not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            PayloadReader.TryGetProperty(root, "Data", out var data);
            PayloadReader.TryGetProperty(root, "Metadata", out var metadata);
            if (data.ValueKind != JsonValueKind.Object)
            {
                LogBadPayload(log, function.Name, invocationId, "no Data object");
                return InvocationResult.Failure(400, "The invocation payload has no Data object; the host sends {\"Data\":{…},\"Metadata\":{…}}.");
            }

            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (function.Trigger.Kind == TriggerKind.Schedule && PayloadReader.TryFindTrigger(data, BindingNames.Timer, out var timer)
                && PayloadReader.GetString(timer, "IsPastDue") is { } pastDue)
            {
                properties[BindingNames.TimerIsPastDueProperty] = pastDue == "true";
            }

            var info = CreateInfo(invocationId, call, metadata, properties);
            var queues = _queueOutputs.TryGetValue(function, out var bindings) ? new QueueOutputCollector(bindings) : null;
            InvocationOutbox.Current = queues;
            try
            {
                return function.Trigger.Kind switch
                {
                    TriggerKind.Http => await InvokeHttpAsync(function, data, info, queues, cancellationToken).ConfigureAwait(false),
                    TriggerKind.Queue => await InvokeQueueAsync(function, data, metadata, info, queues, cancellationToken).ConfigureAwait(false),
                    TriggerKind.Schedule => await RunAsync(function, info, queues, () =>
                    {
                        var scheduled = new ScheduledEvent(function.Name, ReadTimerTime(metadata), function.Trigger.Cron!);
                        return executor.InvokeScheduleAsync(function, scheduled, info, cancellationToken);
                    }).ConfigureAwait(false),
                    TriggerKind.Topic => await RunAsync(function, info, queues, () =>
                    {
                        var cloudEvent = PayloadReader.ReadEvent(PayloadReader.FindTrigger(data, BindingNames.Event));
                        return executor.InvokeNotificationAsync(function, PayloadReader.ReadNotification(function.Trigger.Name!, cloudEvent), info, cancellationToken);
                    }).ConfigureAwait(false),
                    _ => await InvokeEventAsync(function, data, metadata, info, invocationId, queues, cancellationToken).ConfigureAwait(false),
                };
            }
            finally
            {
                InvocationOutbox.Current = null;
                if (queues?.Close() is > 0 and var dropped) LogOutputsDropped(log, function.Name, invocationId, dropped);
            }
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

    private DateTimeOffset ReadTimerTime(JsonElement metadata)
        => PayloadReader.TryGetProperty(metadata, "sys", out var sys) && PayloadReader.GetDate(sys, "UtcNow") is { } now ? now : time.GetUtcNow();

    private async Task<HandlerResponse> InvokeHttpAsync(FunctionDefinition function, JsonElement data, InvocationInfo info, QueueOutputCollector? queues, CancellationToken cancellationToken)
    {
        HttpRequestData request;
        try
        {
            request = PayloadReader.ReadHttpRequest(PayloadReader.FindTrigger(data, BindingNames.HttpRequest), options.NormalizedRoutePrefix);
        }
        catch (InvalidInputException e)
        {
            LogBadPayload(log, function.Name, info.InvocationId!, e.Message);
            return InvocationResult.Success([e.Message], HttpResponseData.Problem(400, "Bad Request", e.Message, e.Errors, info.InvocationId));
        }

        var response = await dispatcher.DispatchToAsync(function, request, info, cancellationToken).ConfigureAwait(false);
        // A 4xx the function answered is an answer: its sends are written. A failure's are dropped, and the host is told in Logs.
        return response.StatusCode >= 500
            ? InvocationResult.Success([$"{function.Name} failed (invocation {info.InvocationId}): {response.StatusCode}"], response)
            : InvocationResult.Success([], response, queues);
    }

    private async Task<HandlerResponse> InvokeQueueAsync(FunctionDefinition function, JsonElement data, JsonElement metadata, InvocationInfo info, QueueOutputCollector? queues, CancellationToken cancellationToken)
    {
        byte[] message;
        try
        {
            message = PayloadReader.ReadMessage(PayloadReader.FindTrigger(data, BindingNames.QueueMessage));
        }
        catch (InvalidInputException e)
        {
            LogBadPayload(log, function.Name, info.InvocationId!, e.Message);
            return InvocationResult.Failure(400, e.Message);
        }

        try
        {
            await executor.InvokeMessageAsync(function, message, info, cancellationToken).ConfigureAwait(false);
            return InvocationResult.Success([], queues: queues);
        }
        catch (InvalidInputException e) when (poison is not null)
        {
            await poison.SendAsync(function.Trigger.Name!, message, cancellationToken).ConfigureAwait(false);
            var line = $"The message {PayloadReader.GetString(metadata, "Id")} cannot be read and went to {function.Trigger.Name}-poison without retries: {e.Message}";
            LogPoisoned(log, function.Name, info.InvocationId!, function.Trigger.Name + "-poison");
            return InvocationResult.Success([line]);
        }
        catch (InvalidInputException e)
        {
            return InvocationResult.Failure(500, $"{function.Name} refused the message (invocation {info.InvocationId}): {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return InvocationResult.Failure(500, $"{function.Name} failed (invocation {info.InvocationId}): {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<HandlerResponse> InvokeEventAsync(FunctionDefinition function, JsonElement data, JsonElement metadata, InvocationInfo info, string invocationId, QueueOutputCollector? queues, CancellationToken cancellationToken)
    {
        CloudEvent cloudEvent;
        try
        {
            cloudEvent = data.TryGetProperty(BindingNames.Blob, out var blob) || LooksLikeBlob(metadata)
                ? PayloadReader.ReadBlob(blob.ValueKind == JsonValueKind.Undefined ? PayloadReader.FindTrigger(data, BindingNames.Blob) : blob, metadata, invocationId)
                : PayloadReader.ReadEvent(PayloadReader.FindTrigger(data, BindingNames.Event));
        }
        catch (InvalidInputException e)
        {
            LogBadPayload(log, function.Name, invocationId, e.Message);
            return InvocationResult.Failure(400, e.Message);
        }

        var wanted = function.Trigger.EventType!;
        if (wanted != "*" && !string.Equals(wanted, cloudEvent.Type, StringComparison.Ordinal))
        {
            LogSkipped(log, function.Name, cloudEvent.Type, wanted);
            return InvocationResult.Success([$"{function.Name} takes {wanted} events; {cloudEvent.Type} event {cloudEvent.Id} was skipped."]);
        }

        return await RunAsync(function, info, queues, () => executor.InvokeEventAsync(function, cloudEvent, info, cancellationToken)).ConfigureAwait(false);
    }

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
            return InvocationResult.Failure(400, $"{function.Name} refused its input (invocation {info.InvocationId}): {e.Message}");
        }
        catch (Exception e)
        {
            return InvocationResult.Failure(500, $"{function.Name} failed (invocation {info.InvocationId}): {e.GetType().Name}: {e.Message}");
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "The host invoked {FunctionName}, which this app does not have")]
    private static partial void LogUnknownFunction(ILogger logger, string functionName);

    [LoggerMessage(2, LogLevel.Warning, "{FunctionName}: the invocation payload was refused (invocation {InvocationId}): {Reason}")]
    private static partial void LogBadPayload(ILogger logger, string functionName, string invocationId, string reason);

    [LoggerMessage(3, LogLevel.Warning, "{FunctionName}: an unreadable message went to {PoisonQueue} without retries (invocation {InvocationId})")]
    private static partial void LogPoisoned(ILogger logger, string functionName, string invocationId, string poisonQueue);

    [LoggerMessage(4, LogLevel.Information, "{FunctionName} skipped a {EventType} event; it takes {Wanted}")]
    private static partial void LogSkipped(ILogger logger, string functionName, string eventType, string wanted);

    [LoggerMessage(5, LogLevel.Information, "{FunctionName} did not succeed, so the {Count} queue message(s) it sent are dropped, not written (invocation {InvocationId})")]
    private static partial void LogOutputsDropped(ILogger logger, string functionName, string invocationId, int count);
}
