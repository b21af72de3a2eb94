using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Serialization;
using Portable;

namespace Portable.Aws.Tests.Fixtures;

public sealed record EchoView(
    string Method,
    string Path,
    Dictionary<string, string[]> Query,
    Dictionary<string, string[]> Headers,
    Dictionary<string, string> Cookies,
    string Body,
    Dictionary<string, string> Route);

public sealed record AddRequest(int A, int B);

public sealed record AddResult(int Sum);

public sealed record Job(string Id, bool Fail);

public sealed record TraceView(string? Env, string TraceParent, string? ClientContext, string? Cognito, string? FunctionArn, DateTimeOffset? Deadline, string InvocationId, string Platform);

public sealed record Doc(string Name, int Count);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EchoView))]
[JsonSerializable(typeof(AddRequest))]
[JsonSerializable(typeof(AddResult))]
[JsonSerializable(typeof(Job))]
[JsonSerializable(typeof(TraceView))]
[JsonSerializable(typeof(Doc))]
public sealed partial class TestJson : JsonSerializerContext;

/// <summary>What the test functions saw.</summary>
public sealed class Recorder
{
    private readonly ConcurrentQueue<object> _items = new();

    public void Add(object item) => _items.Enqueue(item);

    public List<T> Of<T>() => [.. _items.OfType<T>()];
}

public sealed record Seen<T>(T Value, FunctionContext Context);

public sealed class Echo : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        var view = new EchoView(
            request.Method,
            request.Path,
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToArray()),
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase),
            request.Cookies.ToDictionary(c => c.Key, c => c.Value),
            request.ReadText(),
            new Dictionary<string, string>(request.RouteValues));
        var response = HttpResponseData.Json(200, view, TestJson.Default.EchoView);
        response.Headers.Add("Set-Cookie", "a=1; Path=/");
        response.Headers.Add("Set-Cookie", "b=2");
        response.Headers.Add("X-Multi", "one");
        response.Headers.Add("X-Multi", "two");
        return Task.FromResult(response);
    }
}

public sealed class Binary : IHttpFunction
{
    public static readonly byte[] Bytes = [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF];

    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        var response = new HttpResponseData(200) { Body = Bytes };
        response.Headers["Content-Type"] = "image/png";
        return Task.FromResult(response);
    }
}

public sealed class Add : IFunction<AddRequest, AddResult>
{
    public Task<AddResult> HandleAsync(AddRequest input, FunctionContext context, CancellationToken cancellationToken)
        => Task.FromResult(new AddResult(input.A + input.B));
}

public sealed class Boom : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException("boom: the handler failed on purpose");
}

public sealed class Big : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => Task.FromResult(HttpResponseData.Text(200, new string('x', 7 * 1024 * 1024)));
}

public sealed class Slow(Recorder recorder) : IHttpFunction
{
    public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            recorder.Add(new Seen<DateTimeOffset>(DateTimeOffset.UtcNow, context));
            return HttpResponseData.Text(503, "stopped before the deadline");
        }

        return HttpResponseData.Text(200, "never");
    }
}

public sealed class Trace : IHttpFunction
{
    public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        var view = new TraceView(
            Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"),
            context.Trace.TraceParent,
            Prop(context, "aws.clientContext"),
            Prop(context, "aws.cognitoIdentity"),
            Prop(context, "aws.functionArn"),
            context.Deadline,
            context.InvocationId,
            context.Platform);
        return Task.FromResult(HttpResponseData.Json(200, view, TestJson.Default.TraceView));
    }

    private static string? Prop(FunctionContext context, string name) => context.Properties.TryGetValue(name, out var value) ? value as string : null;
}

public sealed class JobHandler(Recorder recorder) : IMessageHandler<Job>
{
    public Task HandleAsync(Job message, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Add(new Seen<Job>(message, context));
        return message.Fail ? throw new InvalidOperationException($"job {message.Id} failed on purpose") : Task.CompletedTask;
    }
}

public sealed class AlertHandler(Recorder recorder) : IMessageHandler<Notification>
{
    public Task HandleAsync(Notification message, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Add(new Seen<Notification>(message, context));
        return Task.CompletedTask;
    }
}

public sealed class Tick(Recorder recorder) : IEventHandler<ScheduledEvent>
{
    public Task HandleAsync(ScheduledEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Add(new Seen<ScheduledEvent>(@event, context));
        return Task.CompletedTask;
    }
}

public sealed class StorageHandler(Recorder recorder) : IEventHandler<CloudEvent>
{
    public Task HandleAsync(CloudEvent @event, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Add(new Seen<CloudEvent>(@event, context));
        return Task.CompletedTask;
    }
}

public static class TestApp
{
    public static void Configure(PortableAppBuilder builder)
    {
        builder.AppName ??= "AwsTests";
        builder.AddJson(TestJson.Default);
        builder.Services.AddSingletonRecorder();
        builder.Functions
            .MapHttp<Echo>("* /{*path}")
            .MapHttp<Binary>("GET /binary")
            .MapHttp<Add, AddRequest, AddResult>("POST /add")
            .MapHttp<Boom>("GET /boom")
            .MapHttp<Big>("GET /big")
            .MapHttp<Slow>("GET /slow")
            .MapHttp<Trace>("GET /trace")
            .MapHttp<Orders.Hello>("GET /hello")
            .MapQueue<JobHandler, Job>("jobs")
            .MapTopic<AlertHandler, Notification>("alerts")
            .MapSchedule<Tick>("*/5 * * * *")
            .MapEvent<StorageHandler>("Object Created");
    }

    public static PortableApp Build()
    {
        var builder = PortableApp.CreateBuilder([]);
        Configure(builder);
        return builder.Build();
    }

    private static void AddSingletonRecorder(this Microsoft.Extensions.DependencyInjection.IServiceCollection services)
        => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Recorder>(services);
}

public static class Vectors
{
    public static string Read(string relative) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", relative), Encoding.UTF8);

    public static byte[] ReadBytes(string relative) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", relative));
}
