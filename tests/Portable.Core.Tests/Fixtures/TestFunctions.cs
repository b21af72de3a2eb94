using Microsoft.Extensions.DependencyInjection;

namespace Portable.Core.Tests.Fixtures;

/// <summary>Answers a greeting; throws <see cref="InvalidInputException"/> for a blank name and <see cref="InvalidOperationException"/> for "boom".</summary>
public sealed class GreetFunction(Recorder recorder, ScopedProbe probe) : IFunction<Greeting, GreetingReply>
{
    public Task<GreetingReply> HandleAsync(Greeting input, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Inputs.Enqueue(input);
        recorder.Contexts.Enqueue(context);
        recorder.Probes.Enqueue(probe);
        recorder.ProbesFromContextServices.Enqueue(context.Services.GetRequiredService<ScopedProbe>());
        recorder.Tokens.Enqueue(cancellationToken);
        recorder.Activities.Enqueue(System.Diagnostics.Activity.Current);
        if (string.IsNullOrWhiteSpace(input.Name)) throw new InvalidInputException("name", "The name must not be blank.");
        if (input.Name == "boom") throw new InvalidOperationException("The greeter broke.");
        return Task.FromResult(new GreetingReply($"Hello, {input.Name}!"));
    }
}

/// <summary>Waits until its token is cancelled.</summary>
public sealed class WaitForeverFunction(Recorder recorder) : IFunction<Greeting, GreetingReply>
{
    public async Task<GreetingReply> HandleAsync(Greeting input, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Tokens.Enqueue(cancellationToken);
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return new GreetingReply("unreachable");
    }
}

/// <summary>A raw HTTP function answering 204.</summary>
public sealed class NoContentFunction : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => Task.FromResult(new HttpResponseData(204));
}

public sealed class OrderPlacedHandler(Recorder recorder) : IMessageHandler<OrderPlaced>
{
    public Task HandleAsync(OrderPlaced message, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Inputs.Enqueue(message);
        recorder.Contexts.Enqueue(context);
        return Task.CompletedTask;
    }
}

public sealed class NotificationHandler(Recorder recorder) : IMessageHandler<Notification>
{
    public Task HandleAsync(Notification message, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Inputs.Enqueue(message);
        return Task.CompletedTask;
    }
}

public sealed class TickHandler(Recorder recorder) : IEventHandler<ScheduledEvent>
{
    public Task HandleAsync(ScheduledEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Inputs.Enqueue(@event);
        return Task.CompletedTask;
    }
}

public sealed class CloudEventHandler(Recorder recorder) : IEventHandler<CloudEvent>
{
    public Task HandleAsync(CloudEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Inputs.Enqueue(@event);
        return Task.CompletedTask;
    }
}

public sealed class UnregisteredFunction : IFunction<UnregisteredRequest, GreetingReply>
{
    public Task<GreetingReply> HandleAsync(UnregisteredRequest input, FunctionContext context, CancellationToken cancellationToken)
        => Task.FromResult(new GreetingReply(input.Value));
}
