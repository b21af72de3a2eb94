using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.Blobs;
using Portable.Hosting;

namespace Portable.Local.Queues;

/// <summary>
/// Delivers queued messages to queue, topic and blob functions (a blob function's events are queued by the local buckets): up to <see cref="LocalOptions.MaxConcurrency"/> at once per function,
/// retries with exponential backoff, dead-letters after <see cref="LocalOptions.MaxDeliveryAttempts"/> (at once for a message that
/// cannot be read). On shutdown, in-flight invocations finish; any cut short go back to the queue.
/// </summary>
internal sealed partial class QueueDispatcher(
    PortableApp app,
    FunctionExecutor executor,
    LocalQueueStore queues,
    LocalOptions options,
    TimeProvider time,
    ILogger<QueueDispatcher> log,
    Cost.UsageRecorder? usage = null) : IHostedService
{
    private readonly CancellationTokenSource _stopTaking = new();
    private readonly CancellationTokenSource _abortInFlight = new();
    private readonly List<Task> _workers = [];

    /// <summary>The queue a function consumes: its queue, or its own subscription queue for a topic, or its own event queue for a bucket.</summary>
    public static string QueueOf(FunctionDefinition function) => function.Trigger.Kind switch
    {
        TriggerKind.Topic => $"topic:{function.Trigger.Name}:{function.Name}",
        TriggerKind.Blob => $"blob:{function.Trigger.Name}:{function.Name}",
        _ => function.Trigger.Name!,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var function in app.Catalog.Functions.Where(f => f.Trigger.Kind is TriggerKind.Queue or TriggerKind.Topic or TriggerKind.Blob))
        {
            _workers.Add(Task.Run(() => RunWorkerAsync(function), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopTaking.CancelAsync().ConfigureAwait(false);
        try
        {
            // In-flight invocations get until the host's shutdown timeout to finish.
            await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogAborting(log);
            await _abortInFlight.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_workers).ConfigureAwait(false);
        }
    }

    private async Task RunWorkerAsync(FunctionDefinition function)
    {
        var queue = QueueOf(function);
        using var slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        var running = new List<Task>();
        var stopping = _stopTaking.Token;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await slots.WaitAsync(stopping).ConfigureAwait(false);
                var wake = queues.WakeUpFor(queue).Current;
                LeasedMessage? message;
                try
                {
                    message = queues.Lease(queue);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    slots.Release();
                    LogStoreError(log, e, queue);
                    await Task.Delay(options.PollInterval, time, stopping).ConfigureAwait(false);
                    continue;
                }

                if (message is null)
                {
                    slots.Release();
                    await WaitForWorkAsync(queue, wake, stopping).ConfigureAwait(false);
                    continue;
                }

                running.RemoveAll(t => t.IsCompleted);
                running.Add(DeliverAsync(function, message, slots));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task WaitForWorkAsync(string queue, Task wake, CancellationToken stopping)
    {
        var wait = options.PollInterval;
        if (queues.NextVisibleAt(queue) is { } next)
        {
            var untilNext = next - time.GetUtcNow();
            if (untilNext < wait) wait = untilNext < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5) : untilNext;
        }

        try
        {
            await wake.WaitAsync(wait, time, stopping).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private async Task DeliverAsync(FunctionDefinition function, LeasedMessage message, SemaphoreSlim slots)
    {
        await Task.Yield();
        usage?.RecordPayload(function.Name, message.Body.Length, 0); // for the cost projection: the message is the function's request
        try
        {
            var info = new InvocationInfo
            {
                InvocationId = message.Id,
                DeliveryAttempt = message.Attempt,
                Deadline = message.VisibleUntil,
                Trace = message.Trace, // the sender's context: the invocation's span continues its trace
                MessagingSystem = LocalPlatform.MessagingSystem,
                MessageId = message.Id,
            };
            if (function.Trigger.Kind == TriggerKind.Topic)
            {
                await executor.InvokeNotificationAsync(function, NotificationFrame.Read(message.Body), info, _abortInFlight.Token).ConfigureAwait(false);
            }
            else if (function.Trigger.Kind == TriggerKind.Blob)
            {
                await executor.InvokeBlobAsync(function, ReadBlobEvent(message.Body), info, _abortInFlight.Token).ConfigureAwait(false);
            }
            else
            {
                await executor.InvokeMessageAsync(function, message.Body, info, _abortInFlight.Token).ConfigureAwait(false);
            }

            if (!queues.Acknowledge(message)) LogLeaseLost(log, message.Id, message.Queue);
        }
        catch (InvalidInputException e)
        {
            queues.DeadLetter(message, e.Message);
            executor.RecordDeadLetter(function, "invalid_input");
            LogDeadLetteredUnreadable(log, message.Id, message.Queue, e.Message);
        }
        catch (OperationCanceledException) when (_abortInFlight.IsCancellationRequested)
        {
            queues.Release(message);
        }
        catch (Exception e)
        {
            var error = $"{e.GetType().Name}: {e.Message}";
            if (message.Attempt >= options.MaxDeliveryAttempts)
            {
                queues.DeadLetter(message, error);
                executor.RecordDeadLetter(function, "max_deliveries");
                LogDeadLettered(log, message.Id, message.Queue, message.Attempt);
            }
            else
            {
                var delay = Backoff(message.Attempt);
                queues.Retry(message, delay, error);
                LogRetrying(log, message.Id, message.Queue, message.Attempt, options.MaxDeliveryAttempts, delay.TotalSeconds);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>A blob event queued by <see cref="Blobs.LocalBlobStorage"/>; one that cannot be read is dead-lettered.</summary>
    private static BlobEvent ReadBlobEvent(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize(body.Span, LocalJsonContext.Default.BlobEvent) ?? throw new InvalidInputException("The blob event is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"The blob event is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The delay after a failed delivery: the base delay doubled per earlier attempt, capped.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var delay = TimeSpan.FromMilliseconds(options.RetryBaseDelay.TotalMilliseconds * factor);
        return delay > options.RetryMaxDelay ? options.RetryMaxDelay : delay;
    }

    [LoggerMessage(1, LogLevel.Warning, "Message {MessageId} on {Queue} failed delivery {Attempt} of {MaxAttempts}; retrying in {DelaySeconds:0.#} s")]
    private static partial void LogRetrying(ILogger logger, string messageId, string queue, int attempt, int maxAttempts, double delaySeconds);

    [LoggerMessage(2, LogLevel.Error, "Message {MessageId} on {Queue} moved to the dead-letter queue after {Attempts} deliveries; redrive it with POST /_portable/queues/{Queue}/dead-letters/redrive")]
    private static partial void LogDeadLettered(ILogger logger, string messageId, string queue, int attempts);

    [LoggerMessage(3, LogLevel.Error, "Message {MessageId} on {Queue} cannot be read and was moved to the dead-letter queue without retries: {Reason}")]
    private static partial void LogDeadLetteredUnreadable(ILogger logger, string messageId, string queue, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Message {MessageId} on {Queue} was handled after its visibility timeout ran out; it may be delivered again")]
    private static partial void LogLeaseLost(ILogger logger, string messageId, string queue);

    [LoggerMessage(5, LogLevel.Error, "Could not read queue {Queue} from the local store; trying again")]
    private static partial void LogStoreError(ILogger logger, Exception exception, string queue);

    [LoggerMessage(6, LogLevel.Warning, "Shutdown timeout reached: cancelling in-flight invocations; their messages go back to the queue")]
    private static partial void LogAborting(ILogger logger);
}
