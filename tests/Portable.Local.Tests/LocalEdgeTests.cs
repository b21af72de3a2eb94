using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portable.Local.Queues;
using System.Collections.Concurrent;

namespace Portable.Local.Tests;

/// <summary>The local host answers bad input at the edge (issue #11, items 2 and 7).</summary>
public sealed class LocalEdgeTests
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task PostingToAQueueNoFunctionConsumes_Answers404_LogsIt_AndQueuesNothing()
    {
        var logs = new ListLogger();
        await using var host = await RunningHost.StartAsync(web: w => w.Logging.AddProvider(logs));

        var response = await host.Client.PostAsync("/_portable/queues/nobody-reads-this/messages", Json("""{"id":"x","mode":"ok"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("nobody-reads-this", detail, StringComparison.Ordinal);
        Assert.Contains("jobs", detail, StringComparison.Ordinal);
        Assert.Equal(0, host.Get<LocalQueues>().PendingCount());
        Assert.Single(logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("nobody-reads-this", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostingToAConsumedQueue_Answers202_AndIsDelivered()
    {
        await using var host = await RunningHost.StartAsync();

        var response = await host.Client.PostAsync("/_portable/queues/jobs/messages", Json("""{"id":"j-1","mode":"ok"}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await host.WaitUntilAsync(() => host.Probe.Completed == 1);
    }

    [Fact]
    public async Task PostingMalformedJsonToAConsumedQueue_Answers400()
    {
        await using var host = await RunningHost.StartAsync();

        var response = await host.Client.PostAsync("/_portable/queues/jobs/messages", Json("{not json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PostedMessageMissingARequiredField_IsDeadLetteredAtOnce_WithOneDeadLetterLine()
    {
        var logs = new ListLogger();
        await using var host = await RunningHost.StartAsync(web: w => w.Logging.AddProvider(logs));
        var queues = host.Get<LocalQueues>();

        var response = await host.Client.PostAsync("/_portable/queues/jobs/messages", Json("{}"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await host.WaitUntilAsync(() => queues.DeadLetters("jobs").Count == 1);

        var dead = queues.DeadLetters("jobs").Single();
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("id", dead.LastError, StringComparison.Ordinal);
        Assert.Empty(host.Probe.Deliveries);
        Assert.Single(logs.Lines, l => l.Level >= LogLevel.Error && l.Text.Contains("without retries", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Text.Contains("retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HttpBodyMissingARequiredField_Answers400NamingIt()
    {
        await using var host = await RunningHost.StartAsync();

        var response = await host.Client.PostAsync("/echo", Json("{}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("The field is required.", errors.GetProperty("text")[0].GetString());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"topic":"jobs-done"}""")]
    [InlineData("{\"topic\":null}\n{\"id\":\"n\",\"mode\":\"ok\"}")]
    public async Task SubscriptionMessageThatIsNoNotification_IsDeadLetteredAtOnce(string stored)
    {
        await using var host = await RunningHost.StartAsync();
        var queues = host.Get<LocalQueues>();

        queues.SendRaw("topic:jobs-done:FirstSubscriber", stored);
        await host.WaitUntilAsync(() => queues.DeadLetters("topic:jobs-done:FirstSubscriber").Count == 1);

        Assert.Equal(1, queues.DeadLetters().Single().Attempts);
        Assert.Empty(host.Probe.Notified);
    }

    [Fact]
    public async Task NotificationBodyMissingARequiredField_IsDeadLetteredAtOnce_ForTheTypedSubscriberOnly()
    {
        await using var host = await RunningHost.StartAsync();
        var queues = host.Get<LocalQueues>();

        await host.Get<INotifier>().PublishAsync(new Notification("jobs-done", """{"id":"n-1"}"""), default);
        await host.WaitUntilAsync(() => queues.DeadLetters().Count == 1 && host.Probe.Notified.Count == 1);

        var dead = queues.DeadLetters().Single();
        Assert.Equal("topic:jobs-done:FirstSubscriber", dead.Queue);
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("mode", dead.LastError, StringComparison.Ordinal);
        Assert.Equal(["second:jobs-done"], host.Probe.Notified);
    }
}

/// <summary>Keeps every log line written, with its level.</summary>
internal sealed class ListLogger : ILoggerProvider, ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Text)> Entries { get; } = new();

    public IEnumerable<(LogLevel Level, string Category, string Text)> Lines => Entries;

    public ILogger CreateLogger(string categoryName) => new Category(this, categoryName);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Entries.Enqueue((logLevel, "", formatter(state, exception)));

    public void Dispose()
    {
    }

    private sealed class Category(ListLogger owner, string name) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Entries.Enqueue((logLevel, name, formatter(state, exception)));
    }
}
