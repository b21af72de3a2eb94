using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Blobs;

namespace Portable.Hosting;

/// <summary>
/// Runs invocations for an adapter, the same way on every platform: one DI scope per invocation, a <see cref="FunctionContext"/>,
/// a logging scope with the invocation id, a token that fires shortly before the deadline, and input errors turned into
/// <see cref="InvalidInputException"/> (HTTP functions answer them as 400 problem documents). Failures are logged once, here.
/// Every invocation is an <see cref="Activity"/> of <see cref="PortableTelemetry.Source"/> (named after the function, with the
/// OpenTelemetry FaaS and messaging attributes, a child of the incoming trace) and is counted by the <c>Portable</c> meter.
/// </summary>
public sealed partial class FunctionExecutor
{
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly InvocationMetrics _metrics;
    private readonly ConcurrentDictionary<string, ILogger> _functionLoggers = new(StringComparer.Ordinal);
    private readonly string? _cloudProvider;
    private readonly string? _cloudRegion;
    private int _invoked;

    /// <summary>Creates the executor.</summary>
    /// <param name="platform">The platform name put on every context.</param>
    /// <param name="services">The root service provider; a scope is created from it per invocation.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    public FunctionExecutor(string platform, IServiceProvider services, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(platform);
        ArgumentNullException.ThrowIfNull(services);
        Platform = platform;
        _services = services;
        _loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        _log = _loggers.CreateLogger("Portable.Executor");
        _time = timeProvider ?? TimeProvider.System;
        _metrics = new InvocationMetrics(services.GetService<IMeterFactory>());
        (_cloudProvider, var regionVariable) = platform switch
        {
            "aws" => ("aws", "AWS_REGION"),
            "gcp" => ("gcp", "FUNCTION_REGION"),
            "azure" => ("azure", "REGION_NAME"),
            _ => ((string?)null, (string?)null),
        };
        _cloudRegion = regionVariable is null ? null : Environment.GetEnvironmentVariable(regionVariable) is { Length: > 0 } region ? region : null;
    }

    /// <summary>The platform name put on every context.</summary>
    public string Platform { get; }

    /// <summary>
    /// The level of the one line each successful invocation logs (function, trigger, duration, invocation and trace id):
    /// <see cref="LogLevel.Debug"/> by default; the local host sets <see cref="LogLevel.Information"/> so a developer sees the flow.
    /// </summary>
    public LogLevel CompletionLogLevel { get; set; } = LogLevel.Debug;

    /// <summary>
    /// Counts a message the adapter dead-lettered (<c>portable.message.dead_letters</c>) and logs it, for adapters that move an
    /// unreadable or exhausted message aside themselves.
    /// </summary>
    /// <param name="function">The function the message was for.</param>
    /// <param name="reason">Why: <c>invalid_input</c> or <c>max_deliveries</c>, or another short word.</param>
    public void RecordDeadLetter(FunctionDefinition function, string reason)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        var trigger = FaasTrigger(function.Trigger.Kind);
        _metrics.RecordDeadLetter(function.Name, trigger, reason);
        LogDeadLetter(_log, function.Name, KindName(function.Trigger.Kind), reason);
    }

    /// <summary>How long before the deadline the invocation's token fires, so a function can stop cleanly: a tenth of the time left, at most this.</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Invokes an HTTP function. Input errors answer 400 (415 for a body that is not JSON); other failures are rethrown for the adapter to answer in its platform's way.</summary>
    /// <param name="function">The function.</param>
    /// <param name="request">The request.</param>
    /// <param name="info">The invocation's facts.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The response.</returns>
    public async Task<HttpResponseData> InvokeHttpAsync(FunctionDefinition function, HttpRequestData request, InvocationInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(request);
        HttpResponseData? response = null;
        try
        {
            await RunAsync(function, info, async (services, context, token) =>
            {
                response = await function.Invoker.InvokeHttpAsync(services, request, context, token).ConfigureAwait(false);
                if (Activity.Current is { } span)
                {
                    if (span.IsAllDataRequested) span.SetTag("http.response.status_code", response.StatusCode);
                    if (response.StatusCode >= 500) span.SetStatus(ActivityStatusCode.Error); // a server span fails on a 5xx, not on a 4xx
                }
            }, cancellationToken).ConfigureAwait(false);
            return response!;
        }
        catch (InvocationInputException e)
        {
            return HttpResponseData.Problem(400, "Bad Request", e.Input.Message, e.Input.Errors, e.InvocationId);
        }
    }

    /// <summary>Invokes a queue function with one message's body. An unreadable message throws <see cref="InvalidInputException"/>: dead-letter it, retrying will not help.</summary>
    /// <param name="function">The function.</param>
    /// <param name="message">The message body (JSON).</param>
    /// <param name="info">The invocation's facts.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    public Task InvokeMessageAsync(FunctionDefinition function, ReadOnlyMemory<byte> message, InvocationInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        return RunUnwrappedAsync(function, info, (s, c, t) => function.Invoker.InvokeMessageAsync(s, message, c, t), cancellationToken);
    }

    /// <summary>Invokes a topic function with one notification.</summary>
    /// <param name="function">The function.</param>
    /// <param name="notification">The notification.</param>
    /// <param name="info">The invocation's facts.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>A task that completes when the notification is handled.</returns>
    public Task InvokeNotificationAsync(FunctionDefinition function, Notification notification, InvocationInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(notification);
        return RunUnwrappedAsync(function, info, (s, c, t) => function.Invoker.InvokeNotificationAsync(s, notification, c, t), cancellationToken);
    }

    /// <summary>Invokes an event function.</summary>
    /// <param name="function">The function.</param>
    /// <param name="cloudEvent">The event.</param>
    /// <param name="info">The invocation's facts.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    public Task InvokeEventAsync(FunctionDefinition function, CloudEvent cloudEvent, InvocationInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(cloudEvent);
        return RunUnwrappedAsync(function, info, (s, c, t) => function.Invoker.InvokeEventAsync(s, cloudEvent, c, t), cancellationToken);
    }

    /// <summary>Invokes a blob function.</summary>
    /// <param name="function">The function.</param>
    /// <param name="blobEvent">The event.</param>
    /// <param name="info">The invocation's facts.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    public Task InvokeBlobAsync(FunctionDefinition function, BlobEvent blobEvent, InvocationInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(blobEvent);
        return RunUnwrappedAsync(function, info, (s, c, t) =>
        {
            // The same rule on every platform: an event about an object no portable store can name (S3 takes control characters in
            // keys) is the sender's error, refused and logged here as invalid input, not an ArgumentException from the function's store.
            try
            {
                BlobRules.ValidateName(blobEvent.Name);
            }
            catch (ArgumentException e)
            {
                throw new InvalidInputException("name", $"The blob event's object name cannot be used: {e.Message}");
            }

            return function.Invoker.InvokeBlobAsync(s, blobEvent, c, t);
        }, cancellationToken);
    }

    /// <summary>Invokes a scheduled function.</summary>
    /// <param name="function">The function.</param>
    /// <param name="scheduledEvent">The occurrence.</param>
    /// <param name="info">The invocation's facts.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>A task that completes when the function has run.</returns>
    public Task InvokeScheduleAsync(FunctionDefinition function, ScheduledEvent scheduledEvent, InvocationInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(scheduledEvent);
        return RunUnwrappedAsync(function, info, (s, c, t) => function.Invoker.InvokeScheduleAsync(s, scheduledEvent, c, t), cancellationToken);
    }

    /// <summary>Invokes any function directly with its trigger's input as JSON (a typed request, a message, a notification body, an event, an optional scheduled event).</summary>
    /// <param name="function">The function.</param>
    /// <param name="input">The input JSON.</param>
    /// <param name="info">The invocation's facts.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The output JSON of a typed function; null for functions without output.</returns>
    public async Task<byte[]?> InvokeJsonAsync(FunctionDefinition function, ReadOnlyMemory<byte> input, InvocationInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        byte[]? output = null;
        await RunUnwrappedAsync(function, info, async (services, context, token) =>
        {
            output = function.Trigger.Kind == TriggerKind.Topic
                ? await InvokeTopicJsonAsync(function, services, input, context, token).ConfigureAwait(false)
                : await function.Invoker.InvokeJsonAsync(services, input, context, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return output;
    }

    private static async ValueTask<byte[]?> InvokeTopicJsonAsync(FunctionDefinition function, IServiceProvider services, ReadOnlyMemory<byte> input, FunctionContext context, CancellationToken token)
    {
        await function.Invoker.InvokeNotificationAsync(services, new Notification(function.Trigger.Name!, input), context, token).ConfigureAwait(false);
        return null;
    }

    private async Task RunUnwrappedAsync(FunctionDefinition function, InvocationInfo info, Func<IServiceProvider, FunctionContext, CancellationToken, ValueTask> call, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(function, info, call, cancellationToken).ConfigureAwait(false);
        }
        catch (InvocationInputException e)
        {
            throw e.Input;
        }
    }

    private async Task RunAsync(FunctionDefinition function, InvocationInfo info, Func<IServiceProvider, FunctionContext, CancellationToken, ValueTask> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        var invocationId = info.InvocationId ?? Guid.NewGuid().ToString("N");
        var coldStart = Interlocked.Exchange(ref _invoked, 1) == 0;
        var trigger = FaasTrigger(function.Trigger.Kind);
        var kind = KindName(function.Trigger.Kind); // logs say queue or topic where the conventions' faas.trigger says pubsub
        using var activity = StartActivity(function, info, invocationId, trigger, coldStart);
        var trace = TraceContext.FromActivity(activity)!;
        var logger = _functionLoggers.GetOrAdd(function.Name, static (name, loggers) => loggers.CreateLogger("Portable.Functions." + name), _loggers);
        using var logScope = logger.BeginScope(new InvocationLogScope(function.Name, invocationId, Platform, trace.TraceId, trace.ParentId, activity.Recorded));
        var scope = _services.CreateAsyncScope();
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var context = new FunctionContext(invocationId, function.Name, Platform, scope.ServiceProvider, logger, info.Deadline, trace, info.DeliveryAttempt, _time);
        if (info.Properties is not null)
        {
            foreach (var (key, value) in info.Properties) context.Properties[key] = value;
        }

        if (function.Trigger.Kind is TriggerKind.Queue or TriggerKind.Topic) _metrics.RecordDelivery(function.Name, trigger, info.DeliveryAttempt);
        using var deadline = CreateDeadlineSource(info.Deadline, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var outcome = InvocationOutcome.Error;
        try
        {
            await call(scope.ServiceProvider, context, deadline?.Token ?? cancellationToken).ConfigureAwait(false);
            outcome = InvocationOutcome.Success;
            LogCompleted(logger, CompletionLogLevel, function.Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds, kind, invocationId, trace.TraceId);
        }
        catch (InvalidInputException e)
        {
            outcome = InvocationOutcome.InvalidInput;
            Refused(activity, function, e.Message);
            LogInvalidInput(logger, function.Name, kind, invocationId, trace.TraceId, e.Message);
            throw new InvocationInputException(e, invocationId);
        }
        catch (PortRuleException e)
        {
            outcome = InvocationOutcome.InvalidInput;
            Refused(activity, function, e.Message);
            LogInvalidInput(logger, function.Name, kind, invocationId, trace.TraceId, e.Message);
            throw new InvocationInputException(new InvalidInputException(e.Message, e), invocationId);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            outcome = InvocationOutcome.Cancelled;
            PortableTelemetry.Fail(activity, e);
            LogCancelled(logger, function.Name, invocationId, trace.TraceId);
            throw;
        }
        catch (Exception e)
        {
            var timedOut = deadline?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested;
            outcome = timedOut ? InvocationOutcome.Timeout : InvocationOutcome.Error;
            PortableTelemetry.Fail(activity, e);
            LogFailed(logger, e, function.Name, timedOut ? " (its deadline passed)" : "", Stopwatch.GetElapsedTime(started).TotalMilliseconds, kind, invocationId, trace.TraceId);
            throw;
        }
        finally
        {
            _metrics.Record(function.Name, trigger, outcome, Stopwatch.GetElapsedTime(started), coldStart);
        }
    }

    /// <summary>
    /// Starts the invocation's span, a child of the incoming context (<see cref="InvocationInfo.Trace"/>), else of the current
    /// activity, else a new root. Without a listener an unrecorded activity still starts, so <see cref="Activity.Current"/> and
    /// <see cref="FunctionContext.Trace"/> carry the trace to whatever the function calls (HttpClient, queues, topics).
    /// </summary>
    private Activity StartActivity(FunctionDefinition function, InvocationInfo info, string invocationId, string trigger, bool coldStart)
    {
        var parent = info.Trace?.ToActivityContext() ?? default;
        var activity = PortableTelemetry.Source.HasListeners()
            ? PortableTelemetry.Source.StartActivity(function.Name, SpanKind(function.Trigger.Kind), parent)
            : null;
        if (activity is null)
        {
            activity = new Activity(function.Name) { IsAllDataRequested = false }; // nothing records it: no attributes are set
            if (info.Trace is not null)
            {
                activity.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
                activity.TraceStateString = parent.TraceState;
            }
            else if (Activity.Current is null)
            {
                activity.ActivityTraceFlags = ActivityTraceFlags.Recorded; // a new root is sampled, so services downstream record it
            }

            return activity.Start();
        }

        if (activity.IsAllDataRequested) Describe(activity, function, info, invocationId, trigger, coldStart);
        return activity;
    }

    private void Describe(Activity activity, FunctionDefinition function, InvocationInfo info, string invocationId, string trigger, bool coldStart)
    {
        activity.SetTag("faas.trigger", trigger);
        activity.SetTag("faas.invoked_name", function.Name);
        activity.SetTag("faas.invocation_id", invocationId);
        activity.SetTag("faas.coldstart", coldStart);
        if (_cloudProvider is not null)
        {
            activity.SetTag("cloud.provider", _cloudProvider);
            activity.SetTag("faas.invoked_provider", _cloudProvider);
        }

        if (_cloudRegion is not null)
        {
            activity.SetTag("cloud.region", _cloudRegion);
            activity.SetTag("faas.invoked_region", _cloudRegion);
        }

        switch (function.Trigger.Kind)
        {
            case TriggerKind.Http:
                activity.SetTag("http.request.method", function.Trigger.Method);
                activity.SetTag("http.route", function.Trigger.Route);
                break;
            case TriggerKind.Queue or TriggerKind.Topic:
                activity.SetTag("messaging.operation.type", "process");
                activity.SetTag("messaging.destination.name", function.Trigger.Name);
                if (info.MessagingSystem is not null) activity.SetTag("messaging.system", info.MessagingSystem);
                if (info.MessageId is not null) activity.SetTag("messaging.message.id", info.MessageId);
                activity.SetTag("messaging.message.delivery_attempt", info.DeliveryAttempt);
                break;
            case TriggerKind.Schedule:
                activity.SetTag("faas.cron", function.Trigger.Cron);
                break;
            case TriggerKind.Event:
                activity.SetTag("cloudevents.event_type", function.Trigger.EventType);
                break;
            case TriggerKind.Blob:
                activity.SetTag("faas.document.collection", function.Trigger.Name);
                break;
        }
    }

    /// <summary>An input refusal: an HTTP function answers 400, which is not a server error; a message or event that cannot be read is one.</summary>
    private static void Refused(Activity activity, FunctionDefinition function, string reason)
    {
        if (function.Trigger.Kind == TriggerKind.Http)
        {
            if (activity.IsAllDataRequested) activity.SetTag("http.response.status_code", 400);
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, reason);
        if (activity.IsAllDataRequested) activity.SetTag("error.type", "invalid_input");
    }

    /// <summary>The <c>faas.trigger</c> of a trigger kind.</summary>
    private static string FaasTrigger(TriggerKind kind) => kind switch
    {
        TriggerKind.Http => "http",
        TriggerKind.Queue or TriggerKind.Topic => "pubsub",
        TriggerKind.Schedule => "timer",
        TriggerKind.Event or TriggerKind.Blob => "datasource",
        _ => "other",
    };

    private static string KindName(TriggerKind kind) => kind switch
    {
        TriggerKind.Http => "http",
        TriggerKind.Queue => "queue",
        TriggerKind.Topic => "topic",
        TriggerKind.Schedule => "schedule",
        TriggerKind.Blob => "blob",
        _ => "event",
    };

    private static ActivityKind SpanKind(TriggerKind kind) => kind switch
    {
        TriggerKind.Queue or TriggerKind.Topic or TriggerKind.Event or TriggerKind.Blob => ActivityKind.Consumer,
        _ => ActivityKind.Server,
    };

    private CancellationTokenSource? CreateDeadlineSource(DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        if (deadline is not { } at) return null;
        var left = at - _time.GetUtcNow();
        var margin = TimeSpan.FromTicks(Math.Min(DeadlineMargin.Ticks, Math.Max(0, left.Ticks / 10)));
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fireIn = left - margin;
        if (fireIn <= TimeSpan.Zero) source.Cancel();
        else source.CancelAfter(fireIn);
        return source;
    }

    [LoggerMessage(EventId = 1, Message = "{FunctionName} completed in {ElapsedMs:0.0} ms ({Trigger}, invocation {InvocationId}, trace {TraceId})")]
    private static partial void LogCompleted(ILogger logger, LogLevel level, string functionName, double elapsedMs, string trigger, string invocationId, string traceId);

    [LoggerMessage(2, LogLevel.Warning, "{FunctionName} refused its input ({Trigger}, invocation {InvocationId}, trace {TraceId}): {Reason}")]
    private static partial void LogInvalidInput(ILogger logger, string functionName, string trigger, string invocationId, string traceId, string reason);

    [LoggerMessage(3, LogLevel.Information, "{FunctionName} was cancelled because the host is stopping (invocation {InvocationId}, trace {TraceId})")]
    private static partial void LogCancelled(ILogger logger, string functionName, string invocationId, string traceId);

    [LoggerMessage(4, LogLevel.Error, "{FunctionName} failed{Why} after {ElapsedMs:0.0} ms ({Trigger}, invocation {InvocationId}, trace {TraceId})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string functionName, string why, double elapsedMs, string trigger, string invocationId, string traceId);

    [LoggerMessage(5, LogLevel.Warning, "{FunctionName} dead-lettered a message ({Trigger}): {Reason}")]
    private static partial void LogDeadLetter(ILogger logger, string functionName, string trigger, string reason);

    private sealed class InvocationInputException(InvalidInputException input, string invocationId) : Exception(input.Message, input)
    {
        public InvalidInputException Input { get; } = input;

        public string InvocationId { get; } = invocationId;
    }
}
