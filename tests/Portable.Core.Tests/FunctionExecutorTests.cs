using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portable.Core.Tests.Fixtures;
using Portable.Hosting;

namespace Portable.Core.Tests;

public sealed class FunctionExecutorTests
{
    private readonly Recorder _recorder = new();

    private PortableApp BuildApp(Action<PortableAppBuilder> configure, TimeProvider? timeProvider = null) => TestApp.Build(b =>
    {
        b.Services.AddSingleton(_recorder);
        b.Services.AddScoped<ScopedProbe>();
        if (timeProvider is not null) b.TimeProvider = timeProvider;
        configure(b);
    });

    private PortableApp GreetApp() => BuildApp(b => b.Functions.MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet", 201, "greet"));

    private static HttpRequestData JsonRequest(string body, string contentType = "application/json; charset=utf-8")
    {
        var request = new HttpRequestData("POST", "/greet") { Body = Encoding.UTF8.GetBytes(body) };
        request.Headers["Content-Type"] = contentType;
        return request;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task InvokeHttpAsync_TypedFunction_ReturnsSuccessStatusAndJson()
    {
        var app = GreetApp();

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(app.Catalog.Get("greet"), JsonRequest("""{"name":"Ada"}"""), new InvocationInfo(), default);

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Headers["Content-Type"]);
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("Hello, Ada!", body.RootElement.GetProperty("message").GetString());
        Assert.Equal(new Greeting("Ada"), Assert.Single(_recorder.Inputs));
    }

    [Fact]
    public async Task InvokeHttpAsync_StructuredJsonContentType_IsAccepted()
    {
        var app = GreetApp();

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(
            app.Catalog.Get("greet"), JsonRequest("""{"name":"Ada"}""", "application/vnd.api+json"), new InvocationInfo(), default);

        Assert.Equal(201, response.StatusCode);
    }

    [Fact]
    public async Task InvokeHttpAsync_MalformedJsonBody_Answers400ProblemWithErrors()
    {
        var app = GreetApp();

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(
            app.Catalog.Get("greet"), JsonRequest("""{"name": """), new InvocationInfo { InvocationId = "inv-400" }, default);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/problem+json", response.Headers["Content-Type"]);
        Assert.Equal("inv-400", response.Headers["X-Portable-Invocation-Id"]);
        using var problem = JsonDocument.Parse(response.Body);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("The request body is not a valid Greeting", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var errors = problem.RootElement.GetProperty("errors").EnumerateObject().ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.NotEmpty(e.Value.EnumerateArray()));
        Assert.Empty(_recorder.Inputs);
    }

    [Fact]
    public async Task InvokeHttpAsync_WrongJsonType_Answers400NamingField()
    {
        var app = GreetApp();

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(app.Catalog.Get("greet"), JsonRequest("""{"name": 42}"""), new InvocationInfo(), default);

        Assert.Equal(400, response.StatusCode);
        using var problem = JsonDocument.Parse(response.Body);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task InvokeHttpAsync_EmptyBody_Answers400()
    {
        var app = GreetApp();

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(app.Catalog.Get("greet"), new HttpRequestData("POST", "/greet"), new InvocationInfo(), default);

        Assert.Equal(400, response.StatusCode);
        using var problem = JsonDocument.Parse(response.Body);
        Assert.Contains("empty", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task InvokeHttpAsync_NonJsonContentType_Answers415(string contentType)
    {
        var app = GreetApp();

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(app.Catalog.Get("greet"), JsonRequest("""{"name":"Ada"}""", contentType), new InvocationInfo(), default);

        Assert.Equal(415, response.StatusCode);
        Assert.Equal("application/problem+json", response.Headers["Content-Type"]);
        Assert.Contains(contentType, Encoding.UTF8.GetString(response.Body.Span), StringComparison.Ordinal);
        Assert.Empty(_recorder.Inputs);
    }

    [Fact]
    public async Task InvokeHttpAsync_BodyWithoutContentType_Answers415()
    {
        var app = GreetApp();
        var request = new HttpRequestData("POST", "/greet") { Body = Utf8("""{"name":"Ada"}""") };

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(app.Catalog.Get("greet"), request, new InvocationInfo(), default);

        Assert.Equal(415, response.StatusCode);
    }

    [Fact]
    public async Task InvokeHttpAsync_FunctionThrowsInvalidInput_Answers400WithFieldError()
    {
        var app = GreetApp();

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(app.Catalog.Get("greet"), JsonRequest("""{"name":" "}"""), new InvocationInfo(), default);

        Assert.Equal(400, response.StatusCode);
        using var problem = JsonDocument.Parse(response.Body);
        var messages = problem.RootElement.GetProperty("errors").GetProperty("name").EnumerateArray().Select(m => m.GetString());
        Assert.Equal(["The name must not be blank."], messages);
        Assert.Equal("The name must not be blank.", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task InvokeHttpAsync_FunctionThrowsOtherException_Propagates()
    {
        var app = GreetApp();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.CreateExecutor(app).InvokeHttpAsync(
            app.Catalog.Get("greet"), JsonRequest("""{"name":"boom"}"""), new InvocationInfo(), default));

        Assert.Equal("The greeter broke.", e.Message);
    }

    [Fact]
    public async Task InvokeHttpAsync_RawFunction_ReturnsItsResponse()
    {
        var app = BuildApp(b => b.Functions.MapHttp<NoContentFunction>("DELETE /orders/{id}", "delete-order"));

        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(app.Catalog.Get("delete-order"), new HttpRequestData("DELETE", "/orders/1"), new InvocationInfo(), default);

        Assert.Equal(204, response.StatusCode);
    }

    [Fact]
    public async Task InvokeJsonAsync_TypedFunction_ReturnsOutputJson()
    {
        var app = GreetApp();

        var output = await TestApp.CreateExecutor(app).InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":"Lin"}"""), new InvocationInfo(), default);

        Assert.NotNull(output);
        Assert.Equal(new GreetingReply("Hello, Lin!"), JsonSerializer.Deserialize(output, app.Json.GetTypeInfo(typeof(GreetingReply))));
    }

    [Fact]
    public async Task InvokeJsonAsync_RawHttpFunction_ThrowsInvalidInput()
    {
        var app = BuildApp(b => b.Functions.MapHttp<NoContentFunction>("GET /raw", "raw"));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => TestApp.CreateExecutor(app).InvokeJsonAsync(app.Catalog.Get("raw"), Utf8("{}"), new InvocationInfo(), default));

        Assert.Contains("call its route", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_TwoInvocations_EachGetsItsOwnScopeDisposedAfterwards()
    {
        var app = GreetApp();
        var executor = TestApp.CreateExecutor(app);
        var function = app.Catalog.Get("greet");

        await executor.InvokeJsonAsync(function, Utf8("""{"name":"a"}"""), new InvocationInfo(), default);
        await executor.InvokeJsonAsync(function, Utf8("""{"name":"b"}"""), new InvocationInfo(), default);

        var probes = _recorder.Probes.ToArray();
        Assert.Equal(2, probes.Length);
        Assert.NotEqual(probes[0].Id, probes[1].Id);
        Assert.All(probes, p => Assert.True(p.Disposed));
    }

    [Fact]
    public async Task Invoke_ContextServicesAreTheInvocationScope()
    {
        var app = GreetApp();

        await TestApp.CreateExecutor(app).InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":"a"}"""), new InvocationInfo(), default);

        Assert.Same(Assert.Single(_recorder.Probes), Assert.Single(_recorder.ProbesFromContextServices));
    }

    [Fact]
    public async Task Invoke_ContextCarriesInvocationInfo()
    {
        var app = GreetApp();
        var trace = TraceContext.Create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", sampled: true);
        var deadline = DateTimeOffset.UtcNow.AddHours(1);
        var info = new InvocationInfo
        {
            InvocationId = "inv-123",
            Deadline = deadline,
            Trace = trace,
            DeliveryAttempt = 3,
            Properties = new Dictionary<string, object?> { ["aws.clientContext"] = "ctx" },
        };

        await TestApp.CreateExecutor(app).InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":"a"}"""), info, default);

        var context = Assert.Single(_recorder.Contexts);
        Assert.Equal("inv-123", context.InvocationId);
        Assert.Equal("greet", context.FunctionName);
        Assert.Equal("test", context.Platform);
        Assert.Equal(3, context.DeliveryAttempt);
        Assert.Equal(trace.TraceId, context.Trace.TraceId); // the invocation's own span, a child of the incoming one
        Assert.NotEqual(trace.ParentId, context.Trace.ParentId);
        Assert.True(context.Trace.IsSampled);
        Assert.Equal(deadline, context.Deadline);
        Assert.Equal("ctx", context.Properties["aws.clientContext"]);
    }

    [Fact]
    public async Task Invoke_InfoWithoutIdOrTrace_GetsNewIdAndRootTrace()
    {
        var app = GreetApp();
        var executor = TestApp.CreateExecutor(app);

        await executor.InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":"a"}"""), new InvocationInfo(), default);
        await executor.InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":"b"}"""), new InvocationInfo(), default);

        var contexts = _recorder.Contexts.ToArray();
        Assert.All(contexts, c => Assert.Matches("^[0-9a-f]{32}$", c.InvocationId));
        Assert.NotEqual(contexts[0].InvocationId, contexts[1].InvocationId);
        Assert.NotEqual(contexts[0].Trace.TraceId, contexts[1].Trace.TraceId);
        Assert.All(contexts, c => Assert.Equal(1, c.DeliveryAttempt));
        Assert.All(contexts, c => Assert.Null(c.Deadline));
    }

    [Fact]
    public async Task Invoke_NoDeadline_PassesCallersToken()
    {
        var app = GreetApp();
        using var host = new CancellationTokenSource();

        await TestApp.CreateExecutor(app).InvokeJsonAsync(app.Catalog.Get("greet"), Utf8("""{"name":"a"}"""), new InvocationInfo(), host.Token);

        Assert.Equal(host.Token, Assert.Single(_recorder.Tokens));
    }

    [Fact]
    public async Task Invoke_DeadlineFarAway_TokenIsLinkedToCallerAndNotYetCancelled()
    {
        var app = GreetApp();
        using var host = new CancellationTokenSource();

        await TestApp.CreateExecutor(app).InvokeJsonAsync(
            app.Catalog.Get("greet"), Utf8("""{"name":"a"}"""), new InvocationInfo { Deadline = DateTimeOffset.UtcNow.AddHours(1) }, host.Token);

        var token = Assert.Single(_recorder.Tokens);
        Assert.NotEqual(host.Token, token);
        Assert.True(token.CanBeCanceled);
        Assert.False(token.IsCancellationRequested);
    }

    [Fact]
    public async Task Invoke_DeadlineSoon_CancelsFunctionTokenBeforeDeadline()
    {
        var app = BuildApp(b => b.Functions.MapHttp<WaitForeverFunction, Greeting, GreetingReply>("POST /wait", name: "wait"));
        var info = new InvocationInfo { Deadline = DateTimeOffset.UtcNow.AddMilliseconds(300) };

        // The 30 s cap only turns a missing cancellation into a failure (TimeoutException) instead of a hang.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestApp.CreateExecutor(app)
            .InvokeJsonAsync(app.Catalog.Get("wait"), Utf8("""{"name":"a"}"""), info, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.True(Assert.Single(_recorder.Tokens).IsCancellationRequested);
    }

    [Fact]
    public async Task Invoke_DeadlineAlreadyPassed_TokenIsCancelledFromTheStart()
    {
        var app = GreetApp();

        await TestApp.CreateExecutor(app).InvokeJsonAsync(
            app.Catalog.Get("greet"), Utf8("""{"name":"a"}"""), new InvocationInfo { Deadline = DateTimeOffset.UtcNow.AddSeconds(-1) }, default);

        Assert.True(Assert.Single(_recorder.Tokens).IsCancellationRequested);
    }

    [Fact]
    public async Task Invoke_DeadlinePassedOnExecutorsClock_TokenIsCancelledFromTheStart()
    {
        // The deadline is years ahead of the real clock but behind the executor's, so only the executor's clock can cancel it.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(20));
        var app = GreetApp();

        await TestApp.CreateExecutor(app, clock).InvokeJsonAsync(
            app.Catalog.Get("greet"), Utf8("""{"name":"a"}"""), new InvocationInfo { Deadline = DateTimeOffset.UtcNow.AddYears(10) }, default);

        var context = Assert.Single(_recorder.Contexts);
        Assert.True(Assert.Single(_recorder.Tokens).IsCancellationRequested);
        Assert.Equal(TimeSpan.Zero, context.RemainingTime);
    }

    [Fact]
    public async Task Invoke_CallerCancelled_PropagatesCancellation()
    {
        var app = BuildApp(b => b.Functions.MapHttp<WaitForeverFunction, Greeting, GreetingReply>("POST /wait", name: "wait"));
        using var host = new CancellationTokenSource();
        await host.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestApp.CreateExecutor(app)
            .InvokeJsonAsync(app.Catalog.Get("wait"), Utf8("""{"name":"a"}"""), new InvocationInfo(), host.Token));
    }

    [Fact]
    public async Task InvokeJsonAsync_QueueFunction_DeserializesMessageAndReturnsNull()
    {
        var app = BuildApp(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders"));

        var output = await TestApp.CreateExecutor(app).InvokeJsonAsync(
            app.Catalog.Get(nameof(OrderPlacedHandler)), Utf8("""{"orderId":"o-1","amount":42.5}"""), new InvocationInfo(), default);

        Assert.Null(output);
        Assert.Equal(new OrderPlaced("o-1", 42.5m), Assert.Single(_recorder.Inputs));
    }

    [Fact]
    public async Task InvokeMessageAsync_MessageWithByteOrderMark_IsRead()
    {
        var app = BuildApp(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders"));
        byte[] body = [0xEF, 0xBB, 0xBF, .. Utf8("""{"orderId":"o-2","amount":1}""")];

        await TestApp.CreateExecutor(app).InvokeMessageAsync(app.Catalog.Get(nameof(OrderPlacedHandler)), body, new InvocationInfo { DeliveryAttempt = 2 }, default);

        Assert.Equal(new OrderPlaced("o-2", 1m), Assert.Single(_recorder.Inputs));
        Assert.Equal(2, Assert.Single(_recorder.Contexts).DeliveryAttempt);
    }

    [Theory]
    [InlineData("""{"orderId": """)]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("null")]
    public async Task InvokeMessageAsync_MalformedJson_ThrowsInvalidInput(string message)
    {
        var app = BuildApp(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders"));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => TestApp.CreateExecutor(app)
            .InvokeMessageAsync(app.Catalog.Get(nameof(OrderPlacedHandler)), Utf8(message), new InvocationInfo(), default));

        Assert.StartsWith("The message is", e.Message, StringComparison.Ordinal);
        Assert.Empty(_recorder.Inputs);
    }

    [Fact]
    public async Task InvokeJsonAsync_TopicFunctionTakingNotification_GetsWholeNotification()
    {
        var app = BuildApp(b => b.Functions.MapTopic<NotificationHandler, Notification>("alerts"));

        await TestApp.CreateExecutor(app).InvokeJsonAsync(app.Catalog.Get(nameof(NotificationHandler)), Utf8("disk almost full"), new InvocationInfo(), default);

        var notification = Assert.IsType<Notification>(Assert.Single(_recorder.Inputs));
        Assert.Equal("alerts", notification.Topic);
        Assert.Equal("disk almost full", notification.Body);
    }

    [Fact]
    public async Task InvokeNotificationAsync_TopicFunctionTakingNotification_GetsSameNotification()
    {
        var app = BuildApp(b => b.Functions.MapTopic<NotificationHandler, Notification>("alerts"));
        var notification = new Notification("alerts", "{}") { Subject = "s", Attributes = new Dictionary<string, string> { ["k"] = "v" } };

        await TestApp.CreateExecutor(app).InvokeNotificationAsync(app.Catalog.Get(nameof(NotificationHandler)), notification, new InvocationInfo(), default);

        Assert.Same(notification, Assert.Single(_recorder.Inputs));
    }

    [Fact]
    public async Task InvokeNotificationAsync_TopicFunctionTakingType_DeserializesBody()
    {
        var app = BuildApp(b => b.Functions.MapTopic<OrderPlacedHandler, OrderPlaced>("order-events"));

        await TestApp.CreateExecutor(app).InvokeNotificationAsync(
            app.Catalog.Get(nameof(OrderPlacedHandler)), new Notification("order-events", """{"orderId":"o-9","amount":3}"""), new InvocationInfo(), default);

        Assert.Equal(new OrderPlaced("o-9", 3m), Assert.Single(_recorder.Inputs));
    }

    [Fact]
    public async Task InvokeJsonAsync_TopicFunctionTakingType_DeserializesInput()
    {
        var app = BuildApp(b => b.Functions.MapTopic<OrderPlacedHandler, OrderPlaced>("order-events"));

        await TestApp.CreateExecutor(app).InvokeJsonAsync(
            app.Catalog.Get(nameof(OrderPlacedHandler)), Utf8("""{"orderId":"o-8","amount":2}"""), new InvocationInfo(), default);

        Assert.Equal(new OrderPlaced("o-8", 2m), Assert.Single(_recorder.Inputs));
    }

    [Fact]
    public async Task InvokeNotificationAsync_MalformedBody_ThrowsInvalidInput()
    {
        var app = BuildApp(b => b.Functions.MapTopic<OrderPlacedHandler, OrderPlaced>("order-events"));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => TestApp.CreateExecutor(app).InvokeNotificationAsync(
            app.Catalog.Get(nameof(OrderPlacedHandler)), new Notification("order-events", "{oops"), new InvocationInfo(), default));

        Assert.StartsWith("The notification body is not a valid OrderPlaced", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" {} \n")]
    public async Task InvokeJsonAsync_ScheduleFunctionWithEmptyInput_GetsScheduledEventAtClockNow(string input)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 0, TimeSpan.Zero));
        var app = BuildApp(b => b.Functions.MapSchedule<TickHandler>("*/5 * * * *", "tick"), clock);

        var output = await TestApp.CreateExecutor(app, clock).InvokeJsonAsync(app.Catalog.Get("tick"), Utf8(input), new InvocationInfo(), default);

        Assert.Null(output);
        Assert.Equal(new ScheduledEvent("tick", clock.GetUtcNow(), "*/5 * * * *"), Assert.Single(_recorder.Inputs));
    }

    [Fact]
    public async Task InvokeJsonAsync_ScheduleFunctionWithEvent_PassesThatEvent()
    {
        var app = BuildApp(b => b.Functions.MapSchedule<TickHandler>("0 3 * * *", "nightly"));

        await TestApp.CreateExecutor(app).InvokeJsonAsync(
            app.Catalog.Get("nightly"), Utf8("""{"functionName":"nightly","scheduledTime":"2030-01-02T03:00:00Z","cron":"0 3 * * *"}"""), new InvocationInfo(), default);

        Assert.Equal(new ScheduledEvent("nightly", new DateTimeOffset(2030, 1, 2, 3, 0, 0, TimeSpan.Zero), "0 3 * * *"), Assert.Single(_recorder.Inputs));
    }

    [Fact]
    public async Task InvokeEventAsync_EventFunction_GetsTheEvent()
    {
        var app = BuildApp(b => b.Functions.MapEvent<CloudEventHandler>("storage.finalized", "on-upload"));
        var cloudEvent = new CloudEvent { Id = "e-1", Source = "//storage/bucket", Type = "storage.finalized", Subject = "a.txt" };

        await TestApp.CreateExecutor(app).InvokeEventAsync(app.Catalog.Get("on-upload"), cloudEvent, new InvocationInfo(), default);

        Assert.Same(cloudEvent, Assert.Single(_recorder.Inputs));
    }

    [Fact]
    public async Task InvokeHttpAsync_NonHttpFunction_ThrowsInvalidOperation()
    {
        var app = BuildApp(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.CreateExecutor(app).InvokeHttpAsync(
            app.Catalog.Get(nameof(OrderPlacedHandler)), JsonRequest("{}"), new InvocationInfo(), default));
    }

    [Fact]
    public async Task InvokeJsonAsync_EventFunction_DeserializesCloudEvent()
    {
        var app = BuildApp(b => b.Functions.MapEvent<CloudEventHandler>("storage.finalized", "on-upload"));
        await TestApp.CreateExecutor(app).InvokeJsonAsync(app.Catalog.Get("on-upload"),
            Utf8("""{"id":"e-1","source":"//storage/bucket","type":"storage.finalized","subject":"a.txt","traceparent":"x","data":{"orderId":"o-5","amount":5}}"""),
            new InvocationInfo(), default);
        var cloudEvent = Assert.IsType<CloudEvent>(Assert.Single(_recorder.Inputs));
        Assert.Equal("a.txt", cloudEvent.Subject);
        Assert.Equal("x", cloudEvent.Extensions?["traceparent"].GetString());
        Assert.Equal(new OrderPlaced("o-5", 5m), cloudEvent.GetData(TestJsonContext.Default.OrderPlaced));
    }

    [Fact]
    public async Task InvokeHttpAsync_InvalidInput_ProblemCarriesInvocationId()
    {
        var app = GreetApp();
        var request = new HttpRequestData("POST", "/greet") { Body = Utf8("{") };
        request.Headers["Content-Type"] = "application/json";
        var response = await TestApp.CreateExecutor(app).InvokeHttpAsync(app.Catalog.Get("greet"), request, new InvocationInfo { InvocationId = "inv-42" }, default);
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("\"invocationId\":\"inv-42\"", Encoding.UTF8.GetString(response.Body.Span), StringComparison.Ordinal);
        Assert.Equal("inv-42", response.Headers["X-Portable-Invocation-Id"]);
    }
}
