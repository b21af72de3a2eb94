using Microsoft.Extensions.DependencyInjection;

namespace Portable.Azure.Tests;

/// <summary>Lets a given number of invocations wait for each other, so that they are inside their functions at the same time.</summary>
public sealed class Gate(int parties)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public Task ArriveAndWaitAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _arrived) == parties) _all.TrySetResult();
        return _all.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
    }
}

/// <summary>
/// Sends what its query asks: <c>items</c> (one send each), <c>batch</c> (one batch send), <c>delayed</c> (sends with a delay),
/// <c>counters</c> (to a queue it did not declare), then <c>gate</c> (waits for the other invocations and sends <c>then</c>),
/// then <c>fail</c> (throws) or answers <c>status</c>.
/// </summary>
public sealed class Sender(IQueue<QueueItem> items, IQueue<Counter> counters, Gate gate) : IHttpFunction
{
    public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        var query = request.Query;
        foreach (var id in Numbers(query["items"])) await items.SendAsync(new QueueItem(id, 1), cancellationToken);
        if (Numbers(query["batch"]) is { Count: > 0 } batch) await items.SendBatchAsync(batch.Select(id => new QueueItem(id, 2)), null, cancellationToken);
        foreach (var id in Numbers(query["delayed"])) await items.SendAsync(new QueueItem(id, 3), new SendOptions { Delay = TimeSpan.FromSeconds(1) }, cancellationToken);
        foreach (var value in Numbers(query["counters"])) await counters.SendAsync(new Counter(value), cancellationToken);
        if (query["gate"] is not null)
        {
            await gate.ArriveAndWaitAsync(cancellationToken);
            foreach (var id in Numbers(query["then"])) await items.SendAsync(new QueueItem(id, 4), cancellationToken);
        }

        if (query["fail"] is not null) throw new InvalidOperationException("failed after sending");
        return HttpResponseData.Text(int.Parse(query["status"] ?? "200", System.Globalization.CultureInfo.InvariantCulture), "sent");
    }

    private static List<int> Numbers(string? list)
        => list is null ? [] : list.Split(',').Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).ToList();
}

/// <summary>Passes a counter on as a queue item; a negative counter fails after the send.</summary>
public sealed class Relay(IQueue<QueueItem> items) : IMessageHandler<Counter>
{
    public async Task HandleAsync(Counter message, FunctionContext context, CancellationToken cancellationToken)
    {
        await items.SendAsync(new QueueItem(Math.Abs(message.Value), 5), cancellationToken);
        if (message.Value < 0) throw new InvalidOperationException("negative counter");
    }
}

public static class SendingApp
{
    /// <summary>Sender (HTTP) and Relay (queue) both declare they send queue items; Sender also sends counters, undeclared.</summary>
    public static Action<PortableAppBuilder> Configure(string itemsQueue, string countersQueue, Gate gate) => builder =>
    {
        builder.AddJson(TestJson.Default);
        builder.Services.AddSingleton(gate);
        builder.Resources.AddQueue<QueueItem>(itemsQueue).AddQueue<Counter>(countersQueue);
        builder.Functions
            .MapHttp<Sender>("POST /send", name: "Sender").Sends<QueueItem>()
            .MapQueue<Relay, Counter>("relay-in", name: "Relay").Sends<QueueItem>();
    };
}
