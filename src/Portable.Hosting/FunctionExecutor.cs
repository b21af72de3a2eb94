using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Portable.Hosting;

/// <summary>
/// Runs invocations for an adapter, the same way on every platform: one DI scope per invocation, a <see cref="FunctionContext"/>,
/// a logging scope with the invocation id, a token that fires shortly before the deadline, and input errors turned into
/// <see cref="InvalidInputException"/> (HTTP functions answer them as 400 problem documents). Failures are logged once, here.
/// </summary>
public sealed partial class FunctionExecutor
{
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly TimeProvider _time;

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
    }

    /// <summary>The platform name put on every context.</summary>
    public string Platform { get; }

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
        var logger = _loggers.CreateLogger("Portable.Functions." + function.Name);
        using var logScope = logger.BeginScope(new InvocationScope(function.Name, invocationId, Platform));
        var scope = _services.CreateAsyncScope();
        await using var scopeDisposal = scope.ConfigureAwait(false);
        var context = new FunctionContext(invocationId, function.Name, Platform, scope.ServiceProvider, logger, info.Deadline, info.Trace, info.DeliveryAttempt, _time);
        if (info.Properties is not null)
        {
            foreach (var (key, value) in info.Properties) context.Properties[key] = value;
        }

        using var deadline = CreateDeadlineSource(info.Deadline, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await call(scope.ServiceProvider, context, deadline?.Token ?? cancellationToken).ConfigureAwait(false);
            LogCompleted(logger, function.Name, invocationId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (InvalidInputException e)
        {
            LogInvalidInput(logger, function.Name, invocationId, e.Message);
            throw new InvocationInputException(e, invocationId);
        }
        catch (PortRuleException e)
        {
            LogInvalidInput(logger, function.Name, invocationId, e.Message);
            throw new InvocationInputException(new InvalidInputException(e.Message, e), invocationId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCancelled(logger, function.Name, invocationId);
            throw;
        }
        catch (Exception e)
        {
            var timedOut = deadline?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested;
            LogFailed(logger, e, function.Name, invocationId, timedOut ? " (its deadline passed)" : "");
            throw;
        }
    }

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

    [LoggerMessage(1, LogLevel.Debug, "{FunctionName} completed in {ElapsedMs:0.0} ms (invocation {InvocationId})")]
    private static partial void LogCompleted(ILogger logger, string functionName, string invocationId, double elapsedMs);

    [LoggerMessage(2, LogLevel.Warning, "{FunctionName} refused its input (invocation {InvocationId}): {Reason}")]
    private static partial void LogInvalidInput(ILogger logger, string functionName, string invocationId, string reason);

    [LoggerMessage(3, LogLevel.Information, "{FunctionName} was cancelled because the host is stopping (invocation {InvocationId})")]
    private static partial void LogCancelled(ILogger logger, string functionName, string invocationId);

    [LoggerMessage(4, LogLevel.Error, "{FunctionName} failed{Why} (invocation {InvocationId})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string functionName, string invocationId, string why);

    private sealed class InvocationInputException(InvalidInputException input, string invocationId) : Exception(input.Message, input)
    {
        public InvalidInputException Input { get; } = input;

        public string InvocationId { get; } = invocationId;
    }

    private sealed class InvocationScope(string functionName, string invocationId, string platform) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 3;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("FunctionName", functionName),
            1 => new("InvocationId", invocationId),
            _ => new("Platform", platform),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{functionName} {invocationId}";
    }
}
