using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Portable.Local.Tests;

public sealed record Job(string Id, string Mode);

public sealed record Counter(int Value);

public sealed record Echo(string Text);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Job))]
[JsonSerializable(typeof(Counter))]
[JsonSerializable(typeof(Echo))]
public sealed partial class TestJson : JsonSerializerContext;

/// <summary>What the test functions saw, shared with the test through DI.</summary>
public sealed class Probe
{
    public ConcurrentQueue<(string Id, int Attempt)> Deliveries { get; } = new();
    public ConcurrentQueue<string> Notified { get; } = new();
    public ConcurrentQueue<Notification> Notifications { get; } = new();
    public ConcurrentQueue<DateTimeOffset> Ticks { get; } = new();
    public ConcurrentQueue<(string Function, string MessageId, TraceContext Trace)> Traces { get; } = new();
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public int Completed;
}

public sealed class EchoFunction : IFunction<Echo, Echo>
{
    public Task<Echo> HandleAsync(Echo input, FunctionContext context, CancellationToken cancellationToken)
        => input.Text == "boom" ? throw new InvalidOperationException("boom") : Task.FromResult(new Echo(input.Text.ToUpperInvariant()));
}

public sealed class PingFunction : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => Task.FromResult(HttpResponseData.Text(200, $"pong {(request.RouteValues.TryGetValue("id", out var id) ? id : "")}"));
}

/// <summary>Mode "ok" succeeds, "fail2" fails the first two deliveries, "fail" always fails, "hang" waits for the probe's release.</summary>
public sealed class JobHandler(Probe probe, INotifier notifier) : IMessageHandler<Job>
{
    public async Task HandleAsync(Job message, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Deliveries.Enqueue((message.Id, context.DeliveryAttempt));
        probe.Traces.Enqueue((context.FunctionName, message.Id, context.Trace));
        switch (message.Mode)
        {
            case "fail":
                throw new InvalidOperationException("always fails");
            case "fail2" when context.DeliveryAttempt <= 2:
                throw new InvalidOperationException($"fails on attempt {context.DeliveryAttempt}");
            case "hang":
                probe.Entered.TrySetResult();
                await probe.Release.Task.WaitAsync(cancellationToken);
                break;
            case "notify":
                await notifier.PublishAsync(new Notification("jobs-done", $"{{\"id\":\"{message.Id}\",\"mode\":\"ok\"}}") { DeduplicationId = message.Id }, cancellationToken);
                break;
        }

        Interlocked.Increment(ref probe.Completed);
    }
}

public sealed class FirstSubscriber(Probe probe) : IMessageHandler<Job>
{
    public Task HandleAsync(Job message, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Notified.Enqueue("first:" + message.Id);
        probe.Traces.Enqueue((context.FunctionName, message.Id, context.Trace));
        return Task.CompletedTask;
    }
}

public sealed class SecondSubscriber(Probe probe) : IMessageHandler<Notification>
{
    public Task HandleAsync(Notification message, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Notified.Enqueue("second:" + message.Topic);
        probe.Traces.Enqueue((context.FunctionName, message.Topic, context.Trace));
        probe.Notifications.Enqueue(message);
        return Task.CompletedTask;
    }
}

public sealed class Tick(Probe probe) : IEventHandler<ScheduledEvent>
{
    public Task HandleAsync(ScheduledEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Ticks.Enqueue(@event.ScheduledTime);
        return Task.CompletedTask;
    }
}

/// <summary>Starts the test app on the local host with real Kestrel on a free loopback port.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private RunningHost(WebApplication web, Probe probe, Uri address)
    {
        Web = web;
        Probe = probe;
        Client = new HttpClient { BaseAddress = address };
    }

    public WebApplication Web { get; }
    public Probe Probe { get; }
    public HttpClient Client { get; }
    public T Get<T>() where T : notnull => Web.Services.GetRequiredService<T>();

    public static async Task<RunningHost> StartAsync(Action<LocalOptions>? options = null, Probe? probe = null, TimeProvider? time = null, Action<WebApplicationBuilder>? web = null)
    {
        probe ??= new Probe();
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "local-tests";
        if (time is not null) builder.TimeProvider = time;
        builder.AddJson(TestJson.Default);
        builder.Services.AddSingleton(probe);
        builder.Resources.AddRepository<Counter>("counters").AddQueue<Job>("jobs");
        builder.Functions
            .MapHttp<EchoFunction, Echo, Echo>("POST /echo")
            .MapHttp<PingFunction>("GET /ping/{id}")
            .MapQueue<JobHandler, Job>("jobs")
            .MapTopic<FirstSubscriber, Job>("jobs-done")
            .MapTopic<SecondSubscriber, Notification>("jobs-done")
            .MapSchedule<Tick>("*/5 * * * *");
        return await StartAsync(builder.Build(), probe, options, web);
    }

    /// <summary>Starts <paramref name="app"/> on the local host with the tests' settings (a free port, in memory, fast retries and polls, no schedules), then <paramref name="options"/>.</summary>
    public static async Task<RunningHost> StartAsync(PortableApp app, Probe probe, Action<LocalOptions>? options = null, Action<WebApplicationBuilder>? web = null)
    {
        var host = LocalHost.Build(app, web, o =>
        {
            o.Port = 0;
            o.InMemory = true;
            o.RunSchedules = false;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            options?.Invoke(o);
        });
        await host.StartAsync();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningHost(host, probe, new Uri(address));
    }

    public async Task WaitUntilAsync(Func<bool> condition, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not hold in time.");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Web.StopAsync();
        await Web.DisposeAsync();
    }
}
