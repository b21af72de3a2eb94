using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portable.Core.Tests.Fixtures;
using Portable.Hosting;

namespace Portable.Core.Tests;

/// <summary>Activity listeners and meter listeners are process-wide: these tests run alone, and each looks only at its own trace or meter.</summary>
[CollectionDefinition(nameof(InvocationTelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;

[Collection(nameof(InvocationTelemetryTests))]
public sealed class InvocationTelemetryTests : IDisposable
{
    private readonly Recorder _recorder = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private ActivityListener? _listener;

    public void Dispose() => _listener?.Dispose();

    private void Listen(ActivitySamplingResult sampling = ActivitySamplingResult.AllDataAndRecorded)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PortableTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => sampling,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private PortableApp App(Action<PortableAppBuilder> map) => TestApp.Build(b =>
    {
        b.Services.AddSingleton(_recorder);
        b.Services.AddScoped<ScopedProbe>();
        b.Services.AddMetrics();
        map(b);
    });

    private static FunctionExecutor Executor(PortableApp app, out IServiceProvider services)
    {
        services = app.Services.BuildServiceProvider();
        return new FunctionExecutor("aws", services);
    }

    private static TraceContext Incoming() => TraceContext.ParseOrNew(null); // a fresh trace id per test: other tests' spans never match

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private Activity Span(TraceContext incoming) => Assert.Single(_stopped, a => a.TraceId.ToHexString() == incoming.TraceId);

    [Fact]
    public async Task HttpInvocation_IsAServerSpanChildOfTheIncomingContext_AndCurrentWhileTheFunctionRuns()
    {
        Listen();
        var app = App(b => b.Functions.MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", 201, "greet"));
        var incoming = Incoming();
        var request = new HttpRequestData("POST", "/greet") { Body = Utf8("""{"name":"Ada"}""") };
        request.Headers["Content-Type"] = "application/json";

        var response = await Executor(app, out _).InvokeHttpAsync(app.Catalog.Get("greet"), request, new InvocationInfo { InvocationId = "inv-1", Trace = incoming }, default);

        Assert.Equal(201, response.StatusCode);
        var span = Span(incoming);
        Assert.Equal("greet", span.DisplayName);
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal(incoming.ParentId, span.ParentSpanId.ToHexString());
        Assert.Equal("http", span.GetTagItem("faas.trigger"));
        Assert.Equal("greet", span.GetTagItem("faas.invoked_name"));
        Assert.Equal("inv-1", span.GetTagItem("faas.invocation_id"));
        Assert.Equal(true, span.GetTagItem("faas.coldstart"));
        Assert.Equal("aws", span.GetTagItem("cloud.provider"));
        Assert.Equal("POST", span.GetTagItem("http.request.method"));
        Assert.Equal("/greet", span.GetTagItem("http.route"));
        Assert.Equal(201, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Same(span, Assert.Single(_recorder.Activities));
        var context = Assert.Single(_recorder.Contexts);
        Assert.Equal(span.TraceId.ToHexString(), context.Trace.TraceId);
        Assert.Equal(span.SpanId.ToHexString(), context.Trace.ParentId); // what the function sends downstream names its own span
    }

    [Fact]
    public async Task SecondInvocation_IsNotAColdStart()
    {
        Listen();
        var app = App(b => b.Functions.MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", 201, "greet"));
        var executor = Executor(app, out _);
        var first = Incoming();
        var second = Incoming();

        await executor.InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":"a"}"""), new InvocationInfo { Trace = first }, default);
        await executor.InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":"b"}"""), new InvocationInfo { Trace = second }, default);

        Assert.Equal(true, Span(first).GetTagItem("faas.coldstart"));
        Assert.Equal(false, Span(second).GetTagItem("faas.coldstart"));
    }

    [Fact]
    public async Task QueueMessage_IsAConsumerSpanWithMessagingAttributes()
    {
        Listen();
        var app = App(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders"));
        var incoming = Incoming();
        var info = new InvocationInfo { Trace = incoming, DeliveryAttempt = 2, MessagingSystem = "aws_sqs", MessageId = "m-1" };

        await Executor(app, out _).InvokeMessageAsync(app.Catalog.Get(nameof(OrderPlacedHandler)), Utf8("""{"orderId":"o-1","amount":1}"""), info, default);

        var span = Span(incoming);
        Assert.Equal(ActivityKind.Consumer, span.Kind);
        Assert.Equal(incoming.ParentId, span.ParentSpanId.ToHexString());
        Assert.Equal("pubsub", span.GetTagItem("faas.trigger"));
        Assert.Equal("process", span.GetTagItem("messaging.operation.type"));
        Assert.Equal("orders", span.GetTagItem("messaging.destination.name"));
        Assert.Equal("aws_sqs", span.GetTagItem("messaging.system"));
        Assert.Equal("m-1", span.GetTagItem("messaging.message.id"));
        Assert.Equal(2, span.GetTagItem("messaging.message.delivery_attempt"));
    }

    [Fact]
    public async Task FailedInvocation_SpanHasErrorStatusAndTheExceptionEvent()
    {
        Listen();
        var app = App(b => b.Functions.MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", 201, "greet"));
        var incoming = Incoming();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Executor(app, out _).InvokeJsonAsync(
            app.Catalog.Get("greet"), Utf8("""{"name":"boom"}"""), new InvocationInfo { Trace = incoming }, default));

        var span = Span(incoming);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("The greeter broke.", span.StatusDescription);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
        var exception = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Contains(exception.Tags, t => t.Key == "exception.message" && (string?)t.Value == "The greeter broke.");
    }

    [Fact]
    public async Task HttpInputRefusal_IsA400_NotAServerError()
    {
        Listen();
        var app = App(b => b.Functions.MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", 201, "greet"));
        var incoming = Incoming();
        var request = new HttpRequestData("POST", "/greet") { Body = Utf8("""{"name":" "}""") };
        request.Headers["Content-Type"] = "application/json";

        var response = await Executor(app, out _).InvokeHttpAsync(app.Catalog.Get("greet"), request, new InvocationInfo { Trace = incoming }, default);

        Assert.Equal(400, response.StatusCode);
        var span = Span(incoming);
        Assert.Equal(400, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task UnreadableMessage_SpanFailsAsInvalidInput()
    {
        Listen();
        var app = App(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders"));
        var incoming = Incoming();

        await Assert.ThrowsAsync<InvalidInputException>(() => Executor(app, out _).InvokeMessageAsync(
            app.Catalog.Get(nameof(OrderPlacedHandler)), Utf8("not json"), new InvocationInfo { Trace = incoming }, default));

        var span = Span(incoming);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("invalid_input", span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task WithoutAListener_TheFunctionStillRunsInsideTheTrace()
    {
        var app = App(b => b.Functions.MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", 201, "greet"));
        var incoming = Incoming();

        await Executor(app, out _).InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":"a"}"""), new InvocationInfo { Trace = incoming }, default);

        var current = Assert.Single(_recorder.Activities);
        Assert.NotNull(current);
        Assert.False(current.IsAllDataRequested);
        Assert.Equal(incoming.TraceId, current.TraceId.ToHexString());
        Assert.Equal(incoming.ParentId, current.ParentSpanId.ToHexString());
        Assert.Equal(current.SpanId.ToHexString(), Assert.Single(_recorder.Contexts).Trace.ParentId);
        Assert.Null(Activity.Current); // stopped with the invocation
    }

    [Fact]
    public async Task WithoutAnIncomingContext_ANewSampledRootIsStarted()
    {
        var app = App(b => b.Functions.MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", 201, "greet"));

        await Executor(app, out _).InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":"a"}"""), new InvocationInfo(), default);

        var current = Assert.Single(_recorder.Activities)!;
        Assert.Equal(default, current.ParentSpanId);
        Assert.True(Assert.Single(_recorder.Contexts).Trace.IsSampled);
    }

    [Fact]
    public async Task Metrics_CountInvocationsByOutcome_TimeThem_AndCountTheColdStartOnce()
    {
        var app = App(b => b.Functions.MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", 201, "greet"));
        var executor = Executor(app, out var services);
        var factory = services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PortableTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tags(tags))));
        meters.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, Tags(tags))));
        meters.Start();

        await executor.InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":"a"}"""), new InvocationInfo(), default);
        await Assert.ThrowsAsync<InvalidInputException>(() => executor.InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":" "}"""), new InvocationInfo(), default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => executor.InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":"boom"}"""), new InvocationInfo(), default));

        var invocations = measurements.Where(m => m.Name == "faas.invocations").ToArray();
        Assert.Equal(["success", "invalid_input", "error"], invocations.Select(m => (string?)m.Tags["portable.outcome"]));
        Assert.All(invocations, m => Assert.Equal("greet", m.Tags["faas.invoked_name"]));
        Assert.All(invocations, m => Assert.Equal("http", m.Tags["faas.trigger"]));
        var durations = measurements.Where(m => m.Name == "faas.invoke_duration").ToArray();
        Assert.Equal(3, durations.Length);
        Assert.All(durations, m => Assert.InRange(m.Value, 0, 60));
        Assert.Single(measurements, m => m.Name == "faas.coldstarts");
        Assert.Single(measurements, m => m.Name == "faas.errors");

        executor.RecordDeadLetter(app.Catalog.Get("greet"), "invalid_input");
        var deadLetter = Assert.Single(measurements, m => m.Name == "portable.message.dead_letters");
        Assert.Equal("invalid_input", deadLetter.Tags["portable.dead_letter.reason"]);
    }

    [Fact]
    public async Task Metrics_RecordEachMessagesDeliveryAttempt()
    {
        var app = App(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders"));
        var executor = Executor(app, out var services);
        var factory = services.GetRequiredService<IMeterFactory>();
        var attempts = new ConcurrentQueue<long>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "portable.message.delivery_attempt" && ReferenceEquals(instrument.Meter.Scope, factory)) listener.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((_, v, _, _) => attempts.Enqueue(v));
        meters.Start();

        await executor.InvokeMessageAsync(app.Catalog.Get(nameof(OrderPlacedHandler)), Utf8("""{"orderId":"o-1","amount":1}"""), new InvocationInfo { DeliveryAttempt = 3 }, default);

        Assert.Equal([3L], attempts);
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in tags) map[key] = value;
        return map;
    }
}
