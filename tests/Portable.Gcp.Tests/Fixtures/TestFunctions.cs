using Portable.Gcp;

namespace Portable.Gcp.Tests.Fixtures;

public sealed record Job(string Id, string Mode);

public sealed class EchoHttp(Recorder recorder) : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        var line = $"{request.Method} {request.Path} q={request.Query["q"]} body={request.ReadText()} trace={context.Trace.TraceId}";
        recorder.HttpCalls.Enqueue(line);
        return Task.FromResult(HttpResponseData.Text(200, line));
    }
}

public sealed class Crash : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException("secret detail");
}

public sealed class Slow(Recorder recorder) : IHttpFunction
{
    public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.SlowStarted.TrySetResult();
        await recorder.SlowGate.Task.WaitAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        return HttpResponseData.Text(200, "finished");
    }
}

public sealed class RecordEvent(Recorder recorder) : IEventHandler<CloudEvent>
{
    public Task HandleAsync(CloudEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        if (@event.Type == "test.fail") throw new InvalidOperationException("event failed");
        recorder.Events.Enqueue(@event);
        return Task.CompletedTask;
    }
}

public sealed class RecordLegacy(Recorder recorder) : IEventHandler<CloudEvent>
{
    public Task HandleAsync(CloudEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.LegacyEvents.Enqueue(context.GetLegacyEvent(@event));
        return Task.CompletedTask;
    }
}

public sealed class RecordJob(Recorder recorder) : IMessageHandler<Job>
{
    public Task HandleAsync(Job message, FunctionContext context, CancellationToken cancellationToken)
    {
        if (message.Mode == "fail") throw new InvalidOperationException("job failed");
        recorder.Jobs.Enqueue((message, context));
        return Task.CompletedTask;
    }
}

public sealed class RecordNews(Recorder recorder) : IMessageHandler<Notification>
{
    public Task HandleAsync(Notification message, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Notifications.Enqueue((message, context));
        return Task.CompletedTask;
    }
}

public sealed class RecordTick(Recorder recorder) : IEventHandler<ScheduledEvent>
{
    public Task HandleAsync(ScheduledEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Ticks.Enqueue(@event);
        return Task.CompletedTask;
    }
}
