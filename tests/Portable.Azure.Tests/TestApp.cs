using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Portable.Azure.Tests;

public sealed record QueueItem(int OrderId, int Quantity);

public sealed record Counter(int Value);

public sealed record Echo(string Text);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(QueueItem))]
[JsonSerializable(typeof(Counter))]
[JsonSerializable(typeof(Echo))]
public sealed partial class TestJson : JsonSerializerContext;

[JsonSerializable(typeof(string))]
public sealed partial class TestJsonStrings : JsonSerializerContext;

/// <summary>What one invocation saw.</summary>
public sealed record Seen(string Function, string InvocationId, string Platform, int DeliveryAttempt, IReadOnlyDictionary<string, object?> Properties, object? Input);

/// <summary>Shared with the test through DI: every invocation's view of its input and context.</summary>
public sealed class Probe
{
    public ConcurrentQueue<Seen> Seen { get; } = new();

    public Seen Single(string function) => Assert.Single(Seen, s => s.Function == function);

    public void Record(FunctionContext context, object? input)
        => Seen.Enqueue(new Seen(context.FunctionName, context.InvocationId, context.Platform, context.DeliveryAttempt, new Dictionary<string, object?>(context.Properties), input));
}

/// <summary>Answers with what it was given: method, path, route values, query, a header and the body.</summary>
public sealed class EchoRequest(Probe probe) : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Record(context, request);
        var response = HttpResponseData.Text(201, $"{request.Method} {request.Path} source={request.Query["source"]} ct={request.ContentType} body={request.ReadText()}");
        response.Headers["X-Invocation"] = context.InvocationId;
        return Task.FromResult(response);
    }
}

public sealed class Throws : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException("boom");
}

public sealed class Upper : IFunction<Echo, Echo>
{
    public Task<Echo> HandleAsync(Echo input, FunctionContext context, CancellationToken cancellationToken)
        => Task.FromResult(new Echo(input.Text.ToUpperInvariant()));
}

public sealed class ProcessOrder(Probe probe) : IMessageHandler<QueueItem>
{
    public Task HandleAsync(QueueItem message, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Record(context, message);
        return message.Quantity < 0 ? throw new InvalidOperationException("negative quantity") : Task.CompletedTask;
    }
}

public sealed class Poll(Probe probe) : IEventHandler<ScheduledEvent>
{
    public Task HandleAsync(ScheduledEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Record(context, @event);
        return Task.CompletedTask;
    }
}

public sealed class OnBlobCreated(Probe probe) : IEventHandler<CloudEvent>
{
    public Task HandleAsync(CloudEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Record(context, @event);
        return Task.CompletedTask;
    }
}

public sealed class OnNotice(Probe probe) : IMessageHandler<Notification>
{
    public Task HandleAsync(Notification message, FunctionContext context, CancellationToken cancellationToken)
    {
        probe.Record(context, message);
        return Task.CompletedTask;
    }
}

public static class TestApp
{
    /// <summary>Functions named as the vectors' <c>sys.MethodName</c>, so each vector is sent to the function it was written for.</summary>
    public static Action<PortableAppBuilder> Configure(Probe probe) => builder =>
    {
        builder.AddJson(TestJson.Default);
        builder.Services.AddSingleton(probe);
        builder.Functions
            .MapHttp<EchoRequest>("POST /order", name: "order")
            .MapHttp<EchoRequest>("GET /HttpTrigger", name: "HttpTrigger")
            .MapHttp<Throws>("GET /throws", name: "Throws")
            .MapHttp<Upper, Echo, Echo>("POST /upper", name: "Upper")
            .MapQueue<ProcessOrder, QueueItem>("orders-in", name: "ProcessOrder")
            .MapSchedule<Poll>("*/5 * * * *", name: "Poll")
            .MapEvent<OnBlobCreated>("Microsoft.Storage.BlobCreated", name: "OnBlob")
            .MapEvent<OnBlobCreated>("Microsoft.Storage.BlobCreated", name: "OnEvent")
            .MapTopic<OnNotice, Notification>("notices", name: "OnNotice");
    };
}
