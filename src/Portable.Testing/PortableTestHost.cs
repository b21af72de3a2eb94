using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Portable.Hosting;
using Portable.Local;
using Portable.Local.Queues;

namespace Portable.Testing;

/// <summary>
/// Runs an app's functions in memory for a test: the local host's real DI, serialization, routing, queues (with retries
/// and dead-lettering), repository and notifier, on an in-memory store and an in-memory HTTP server. Call an HTTP route,
/// send a message, fire a schedule, wait for the queues to drain, then assert on the repository, the queues and the
/// notifications published and the logs written. Each cloud adapter adds a driver that hands that cloud's payloads to the
/// functions through the adapter: <c>host.Aws()</c> in Portable.Aws, <c>host.Gcp("Fn")</c> in Portable.Gcp, <c>host.Azure()</c>
/// in Portable.Azure.
/// </summary>
public sealed class PortableTestHost : IPortableTestHost, IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly NotificationRecorder _notifier;
    private readonly MemoryLoggerProvider _logs;

    private PortableTestHost(PortableApp app, WebApplication web, NotificationRecorder notifier, MemoryLoggerProvider logs)
    {
        App = app;
        _web = web;
        _notifier = notifier;
        _logs = logs;
        Executor = web.Services.GetRequiredService<FunctionExecutor>();
        Queues = web.Services.GetRequiredService<LocalQueues>();
    }

    /// <summary>The app under test.</summary>
    public PortableApp App { get; }

    /// <summary>The root services (singletons: repositories, queues, the notifier).</summary>
    public IServiceProvider Services => _web.Services;

    /// <summary>Every notification published so far, in order.</summary>
    public IReadOnlyList<Notification> Notifications => _notifier.Published;

    /// <summary>
    /// Every entry logged so far, in order, at Debug and above (Microsoft's own categories from Warning): the functions' own
    /// <see cref="FunctionContext.Logger"/> lines, the host's failure logs, each with its invocation's scope
    /// (<see cref="LogEntry.InvocationId"/>, <see cref="LogEntry.FunctionName"/>). The console shows only warnings and errors.
    /// </summary>
    public IReadOnlyList<LogEntry> Logs => _logs.Entries;

    internal FunctionExecutor Executor { get; }

    private LocalQueues Queues { get; }

    /// <summary>Builds the app with <paramref name="configure"/> and starts it in memory.</summary>
    /// <param name="configure">The same wiring the app's Program.cs does, such as <c>OrdersApp.Configure</c>.</param>
    /// <param name="options">Changes to the local options; tests get fast retries (50 ms base), in-memory storage and no cron timers by default.</param>
    /// <returns>The started host; dispose it at the end of the test.</returns>
    public static async Task<PortableTestHost> StartAsync(Action<PortableAppBuilder> configure, Action<LocalOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "test";
        configure(builder);
        var app = builder.Build();
        var recorder = new NotificationRecorder();
        var logs = new MemoryLoggerProvider();
        var web = LocalHost.Build(app, web =>
        {
            web.WebHost.UseTestServer();
            web.Logging.SetMinimumLevel(LogLevel.Debug);
            web.Logging.AddFilter("Microsoft", LogLevel.Warning);
            web.Logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
            web.Logging.AddProvider(logs);
            web.Services.AddSingleton<INotificationObserver>(recorder);
        }, o =>
        {
            o.InMemory = true;
            o.RunSchedules = false;
            o.Port = 0;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            o.RetryMaxDelay = TimeSpan.FromSeconds(1);
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            options?.Invoke(o);
        });
        await web.StartAsync().ConfigureAwait(false);
        return new PortableTestHost(app, web, recorder, logs);
    }

    /// <summary>Forgets the log entries written so far, so that <see cref="Logs"/> holds only what comes next.</summary>
    public void ClearLogs() => _logs.Clear();

    /// <summary>An HTTP client for the app's routes (and <c>/_portable/</c>), served in memory.</summary>
    /// <returns>The client.</returns>
    public HttpClient CreateClient() => _web.GetTestClient();

    /// <summary>The repository of a declared document type.</summary>
    /// <typeparam name="T">The document type.</typeparam>
    /// <returns>The repository.</returns>
    public IRepository<T> Repository<T>() => _web.Services.GetRequiredService<IRepository<T>>();

    /// <summary>Sends a message to the declared queue of its type, as a function would.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    public Task SendAsync<T>(T message, CancellationToken cancellationToken = default)
        => _web.Services.GetRequiredService<IQueue<T>>().SendAsync(message, null, cancellationToken);

    /// <summary>Puts a raw message body (such as malformed JSON) on a queue.</summary>
    /// <param name="queue">The queue name.</param>
    /// <param name="body">The body.</param>
    public void SendRaw(string queue, string body)
        => Queues.SendRaw(queue, body);

    /// <summary>Invokes a function directly with its input as JSON, as <c>POST /_portable/functions/{name}/invoke</c> does.</summary>
    /// <param name="function">The function name.</param>
    /// <param name="json">The input.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>The output JSON of a typed function, else null.</returns>
    public async Task<string?> InvokeAsync(string function, string json, CancellationToken cancellationToken = default)
    {
        var output = await Executor.InvokeJsonAsync(App.Catalog.Get(function), Encoding.UTF8.GetBytes(json), new InvocationInfo(), cancellationToken).ConfigureAwait(false);
        return output is null ? null : Encoding.UTF8.GetString(output);
    }

    /// <summary>Runs a scheduled function now, as its cron occurrence would.</summary>
    /// <param name="function">The function name.</param>
    /// <param name="cancellationToken">Cancels the invocation.</param>
    /// <returns>A task that completes when the function has run.</returns>
    public Task FireScheduleAsync(string function, CancellationToken cancellationToken = default)
    {
        var definition = App.Catalog.Get(function);
        if (definition.Trigger.Kind != TriggerKind.Schedule)
            throw new InvalidOperationException($"Function '{function}' is a {definition.Trigger.Kind} function, not a scheduled one.");
        var now = App.TimeProvider.GetUtcNow();
        return Executor.InvokeScheduleAsync(definition, new ScheduledEvent(definition.Name, now, definition.Trigger.Cron!), new InvocationInfo(), cancellationToken);
    }

    /// <summary>Waits until every queue is empty: each message handled or dead-lettered, retries included.</summary>
    /// <param name="timeout">How long to wait; 10 s when null.</param>
    /// <returns>A task that completes when the queues are drained.</returns>
    /// <exception cref="TimeoutException">Messages are still pending; the message lists the queues.</exception>
    public async Task WaitForIdleAsync(TimeSpan? timeout = null)
    {
        var queues = Queues;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (queues.PendingCount() > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                var stats = string.Join("; ", queues.Stats().Select(s => $"{s.Queue}: {s.Ready} ready, {s.InFlight} in flight, {s.Delayed} delayed"));
                throw new TimeoutException($"The queues did not drain in time: {stats}.");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>The counts of each queue.</summary>
    /// <returns>One entry per queue that holds or held messages.</returns>
    public IReadOnlyList<QueueStats> QueueStats() => Queues.Stats();

    /// <summary>The dead-lettered messages of a queue, or of all queues.</summary>
    /// <param name="queue">The queue name, or null.</param>
    /// <returns>The dead letters.</returns>
    public IReadOnlyList<DeadLetter> DeadLetters(string? queue = null) => Queues.DeadLetters(queue);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync().ConfigureAwait(false);
        await _web.DisposeAsync().ConfigureAwait(false);
    }
}
