using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Portable.Testing.Tests;

public sealed record Ping(string Id);

[JsonSerializable(typeof(Ping))]
public sealed partial class PingJson : JsonSerializerContext;

public sealed class Pinged
{
    public List<(string Id, int Attempt)> Seen { get; } = [];
}

public sealed class Relay(INotifier notifier, Pinged pinged) : IMessageHandler<Ping>
{
    public async Task HandleAsync(Ping message, FunctionContext context, CancellationToken cancellationToken)
    {
        lock (pinged) pinged.Seen.Add((message.Id, context.DeliveryAttempt));
        if (message.Id == "poison") throw new InvalidOperationException("never works");
        await notifier.PublishAsync(new Notification("pings", message.Id), cancellationToken);
    }
}

public sealed class Stamp(Pinged pinged) : IEventHandler<ScheduledEvent>
{
    public Task HandleAsync(ScheduledEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        lock (pinged) pinged.Seen.Add(("tick", 0));
        return Task.CompletedTask;
    }
}

public sealed class Status : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => Task.FromResult(HttpResponseData.Text(200, context.Platform));
}

public sealed class PortableTestHostTests
{
    private static void Configure(PortableAppBuilder builder)
    {
        builder.AddJson(PingJson.Default);
        builder.Services.AddSingleton<Pinged>();
        builder.Resources.AddQueue<Ping>("pings-in");
        builder.Functions
            .MapQueue<Relay, Ping>("pings-in")
            .MapSchedule<Stamp>("0 0 * * *")
            .MapHttp<Status>("GET /status");
    }

    [Fact]
    public async Task SentMessage_IsHandled_AndItsNotificationRecorded()
    {
        await using var host = await PortableTestHost.StartAsync(Configure);
        await host.SendAsync(new Ping("p-1"));
        await host.WaitForIdleAsync();

        var notification = Assert.Single(host.Notifications);
        Assert.Equal("pings", notification.Topic);
        Assert.Equal("p-1", notification.Body);
    }

    [Fact]
    public async Task FailingMessage_IsRetriedThenDeadLettered_WithFastTestRetries()
    {
        await using var host = await PortableTestHost.StartAsync(Configure, o => o.MaxDeliveryAttempts = 3);
        await host.SendAsync(new Ping("poison"));
        await host.WaitForIdleAsync();

        var dead = Assert.Single(host.DeadLetters("pings-in"));
        Assert.Equal(3, dead.Attempts);
        Assert.Equal([1, 2, 3], host.Services.GetRequiredService<Pinged>().Seen.Select(s => s.Attempt));
        Assert.Empty(host.Notifications);
    }

    [Fact]
    public async Task RawMessageThatCannotBeRead_IsDeadLetteredWithoutRetry()
    {
        await using var host = await PortableTestHost.StartAsync(Configure);
        host.SendRaw("pings-in", "{broken");
        await host.WaitForIdleAsync();
        Assert.Equal(1, Assert.Single(host.DeadLetters()).Attempts);
        Assert.Empty(host.Services.GetRequiredService<Pinged>().Seen);
    }

    [Fact]
    public async Task FireSchedule_RunsTheFunction_AndRefusesOtherKinds()
    {
        await using var host = await PortableTestHost.StartAsync(Configure);
        await host.FireScheduleAsync("Stamp");
        Assert.Contains(("tick", 0), host.Services.GetRequiredService<Pinged>().Seen);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.FireScheduleAsync("Relay"));
        Assert.Contains("not a scheduled one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpClient_ReachesRoutesInMemory()
    {
        await using var host = await PortableTestHost.StartAsync(Configure);
        using var client = host.CreateClient();
        Assert.Equal("local", await client.GetStringAsync("/status"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/missing")).StatusCode);
        var catalog = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/_portable/functions");
        Assert.Equal(3, catalog.GetProperty("functions").GetArrayLength());
    }

    [Fact]
    public async Task InvokeAsync_DeliversDirectly_WithoutTheQueue()
    {
        await using var host = await PortableTestHost.StartAsync(Configure);
        Assert.Null(await host.InvokeAsync("Relay", """{"id":"direct"}"""));
        Assert.Equal("direct", Assert.Single(host.Notifications).Body);
        Assert.Empty(host.QueueStats());
    }

    [Fact]
    public async Task WaitForIdle_GivesUpWithTheQueuesNamed()
    {
        await using var host = await PortableTestHost.StartAsync(Configure);
        await host.Services.GetRequiredService<IQueue<Ping>>().SendAsync(new Ping("later"), new SendOptions { Delay = TimeSpan.FromMinutes(5) }, default);
        var error = await Assert.ThrowsAsync<TimeoutException>(() => host.WaitForIdleAsync(TimeSpan.FromMilliseconds(200)));
        Assert.Contains("pings-in: 0 ready, 0 in flight, 1 delayed", error.Message, StringComparison.Ordinal);
    }
}

public sealed class PortableTestHostStartTests
{
    public sealed record NotInAnyContext(string Id);

    [Fact]
    public async Task Start_FailsAtOnce_WhenAQueueMessageTypeHasNoJsonMetadata()
    {
        // The local host validates the whole catalog at start, although the cloud adapters resolve metadata on first use.
        var error = await Assert.ThrowsAsync<PortableConfigurationException>(() => PortableTestHost.StartAsync(b =>
        {
            b.AddJson(PingJson.Default);
            b.Resources.AddQueue<NotInAnyContext>("unlisted");
        }));

        Assert.Contains("queue 'unlisted'", error.Message, StringComparison.Ordinal);
    }
}
