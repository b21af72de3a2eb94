using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.Aws.Events;
using Portable.Aws.Logging;
using Portable.Aws.Runtime;
using Portable.Aws.Tests.Fixtures;
using Portable.Hosting;

namespace Portable.Aws.Tests;

/// <summary>
/// Issue #12 on the Lambda loop: hosted services run around it, telemetry is flushed before <c>/next</c>, JSON log lines carry the
/// invocation's trace, and a function's outgoing HTTP call carries it too.
/// </summary>
[Collection(RuntimeCollection.Name)]
public sealed class LambdaTelemetryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HostedServices_StartBeforeTheFirstEvent_AndStopWhenTheLoopEnds()
    {
        var hosted = new RecordingHostedService();
        var runtime = await RuntimeHarness.StartAsync("Hello", builder =>
        {
            TestApp.Configure(builder);
            builder.Services.AddSingleton<IHostedService>(hosted);
        });
        Outcome first;
        await using (runtime)
        {
            first = await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/hello", "name=Ada")).WaitAsync(Wait);
            Assert.False(hosted.Stopped);
        }

        Assert.Equal("response", first.Kind);
        Assert.NotNull(hosted.StartedAt);
        Assert.True(hosted.StartedAt <= first.ReceivedAt);
        Assert.True(hosted.Stopped);
    }

    [Fact]
    public async Task EveryInvocation_IsFlushedBeforeTheNextEvent_WithinTwoSeconds_AndALateFlushIsAWarning()
    {
        var flush = new RecordingFlush { Result = false };
        await using var runtime = await RuntimeHarness.StartAsync("Hello", builder =>
        {
            TestApp.Configure(builder);
            builder.Services.AddSingleton<ITelemetryFlush>(flush);
        });

        await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/hello", "name=Ada")).WaitAsync(Wait);
        await runtime.Api.Enqueue(TestEvents.HttpApi("GET", "/hello", "name=Grace")).WaitAsync(Wait);

        Assert.True(flush.Timeouts.Count >= 1); // the first invocation's flush ran before the second event was asked for
        Assert.All(flush.Timeouts, t => Assert.InRange(t, TimeSpan.FromMilliseconds(1), LambdaRuntime.FlushTimeout));
        var warning = Assert.Single(runtime.LogLines().Select(Json).Where(l => l.GetProperty("message").GetString()!.Contains("did not finish", StringComparison.Ordinal)).Take(1));
        Assert.Equal("WARN", warning.GetProperty("level").GetString());
        Assert.Contains(nameof(RecordingFlush), warning.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Flush_NeverWaitsPastTheInvocationsDeadline()
    {
        var flush = new RecordingFlush();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var runtime = new LambdaRuntime(NSubstitute.Substitute.For<ILambdaRuntimeClient>(), (_, _) => Task.FromResult(ReadOnlyMemory<byte>.Empty),
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, [flush], time);

        runtime.FlushTelemetry(new LambdaInvocation { RequestId = "r-1", Payload = Array.Empty<byte>(), Deadline = time.GetUtcNow().AddMilliseconds(300) });
        runtime.FlushTelemetry(new LambdaInvocation { RequestId = "r-2", Payload = Array.Empty<byte>(), Deadline = time.GetUtcNow().AddMinutes(5) });

        Assert.Equal([TimeSpan.FromMilliseconds(300), LambdaRuntime.FlushTimeout], flush.Timeouts);
    }

    [Fact]
    public async Task LogLinesInsideAnInvocation_CarryItsInvocationIdTraceIdAndSpanId()
    {
        const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        await using var runtime = await RuntimeHarness.StartAsync("JobHandler");
        var sqsEvent = TraceEvents.Sqs([("m-log", """{"id":"j-9","fail":true}""", new Dictionary<string, string> { ["traceparent"] = $"00-{TraceId}-00f067aa0ba902b7-01" }, null)]);

        var outcome = await runtime.Api.Enqueue(sqsEvent).WaitAsync(Wait);

        Assert.Contains("m-log", outcome.Body, StringComparison.Ordinal); // the failed message is a batch item failure
        var failed = Assert.Single(runtime.LogLines().Select(Json), l => l.GetProperty("level").GetString() == "ERROR");
        Assert.Equal(TraceId, failed.GetProperty("traceId").GetString());
        Assert.Matches("^[0-9a-f]{16}$", failed.GetProperty("spanId").GetString());
        Assert.NotEqual("00f067aa0ba902b7", failed.GetProperty("spanId").GetString()); // the invocation's span, not the sender's
        Assert.Equal("m-log", failed.GetProperty("invocationId").GetString());
        Assert.False(string.IsNullOrEmpty(failed.GetProperty("requestId").GetString()));
    }

    [Fact]
    public void LogLevels_FromConfiguration_FilterByCategory_AndLambdasLevelSetsTheDefault()
    {
        var output = new StringWriter();
        var (level, categories) = JsonLineLoggerFactory.LevelsFrom(null, [new("Default", "Debug"), new("Portable", "Warning"), new("Portable.Aws.Events", "Trace"), new("Noise", "nonsense")]);
        using var factory = new JsonLineLoggerFactory(output, level, TimeProvider.System, categories);

        Assert.True(factory.CreateLogger("Orders.PlaceOrder").IsEnabled(LogLevel.Debug));
        Assert.False(factory.CreateLogger("Portable.Hosting.FunctionExecutor").IsEnabled(LogLevel.Information));
        Assert.True(factory.CreateLogger("Portable.Hosting.FunctionExecutor").IsEnabled(LogLevel.Warning));
        Assert.True(factory.CreateLogger("Portable.Aws.Events.AwsEventDispatcher").IsEnabled(LogLevel.Trace));
        Assert.False(factory.CreateLogger("PortableX").IsEnabled(LogLevel.Trace)); // a prefix is a whole category segment
        Assert.Equal(LogLevel.Error, JsonLineLoggerFactory.LevelsFrom("ERROR", [new("Default", "Debug")]).Default);
    }

    [Fact]
    public async Task AFunctionsHttpClientCall_CarriesTheInvocationsTraceparent()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var request = AcceptOneAsync(server);
        CallOut.Target = new Uri($"http://127.0.0.1:{((IPEndPoint)server.LocalEndpoint).Port}/downstream");
        var services = AwsHost.BuildServices(Build(), TextWriter.Null, _ => null);
        var dispatcher = services.GetRequiredService<AwsEventDispatcher>();
        var invocation = new LambdaInvocation
        {
            RequestId = "r-http",
            Payload = Encoding.UTF8.GetBytes(TestEvents.HttpApi("GET", "/call-out")),
            TraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        };

        var output = await dispatcher.DispatchAsync(dispatcher.Catalog.Get("CallOut"), invocation, CancellationToken.None);

        var headers = await request.WaitAsync(Wait);
        var traceParent = headers.Split("\r\n").Select(h => h.Split(": ", 2)).Single(h => h[0].Equals("traceparent", StringComparison.OrdinalIgnoreCase))[1];
        Assert.Matches("^00-5759e988bd862e3fe1be46a994272793-[0-9a-f]{16}-01$", traceParent);
        var invocationSpan = TestEvents.Parse(TestEvents.Parse(Encoding.UTF8.GetString(output.Span)).GetProperty("body").GetString()!).GetProperty("traceParent").GetString();
        Assert.StartsWith("00-5759e988bd862e3fe1be46a994272793-", invocationSpan, StringComparison.Ordinal);
        await services.DisposeAsync();

        static PortableApp Build()
        {
            var builder = PortableApp.CreateBuilder([]);
            builder.AddJson(TestJson.Default);
            builder.Functions.MapHttp<CallOut>("GET /call-out");
            return builder.Build();
        }
    }

    private static async Task<string> AcceptOneAsync(TcpListener server)
    {
        using var client = await server.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[16 * 1024];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read));
            if (n == 0) break;
            read += n;
            if (Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal)) break;
        }

        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    private static JsonElement Json(string line) => TestEvents.Parse(line);

    /// <summary>An HTTP function that calls a downstream address with a plain <see cref="HttpClient"/> and answers its own trace.</summary>
    public sealed class CallOut : IHttpFunction
    {
        public static Uri? Target { get; set; }

        public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        {
            using var http = new HttpClient();
            using var response = await http.GetAsync(Target, cancellationToken);
            return HttpResponseData.Json(200, new TraceView(null, context.Trace.TraceParent, null, null, null, null, context.InvocationId, context.Platform), TestJson.Default.TraceView);
        }
    }

    private sealed class RecordingHostedService : IHostedService
    {
        public DateTimeOffset? StartedAt { get; private set; }

        public bool Stopped { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            StartedAt = DateTimeOffset.UtcNow;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Stopped = true;
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingFlush : ITelemetryFlush
    {
        public bool Result { get; init; } = true;

        public System.Collections.Concurrent.ConcurrentQueue<TimeSpan> Timeouts { get; } = new(); // the loop flushes while a test reads it

        public bool Flush(TimeSpan timeout)
        {
            Timeouts.Enqueue(timeout);
            return Result;
        }
    }
}
