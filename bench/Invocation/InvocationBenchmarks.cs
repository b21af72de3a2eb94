using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Hosting;

namespace Portable.Bench;

/// <summary>
/// One warm invocation of a trivial typed function (JSON in, JSON out), as every adapter makes it through
/// <see cref="FunctionExecutor.InvokeJsonAsync"/>, against the baseline of what any invocation needs: a DI scope, a
/// <see cref="FunctionContext"/> and the function's own JSON invoker. <see cref="Listening"/> false is the path without an
/// exporter (no listener for the Portable source and meter); true adds a recording activity listener and a meter listener, as an
/// exporter would.
/// </summary>
[MemoryDiagnoser]
public class InvocationBenchmarks
{
    private static readonly byte[] Input = """{"name":"Ada"}"""u8.ToArray();
    private FunctionExecutor _executor = null!;
    private FunctionDefinition _function = null!;
    private IServiceProvider _services = null!;
    private ActivityListener? _activities;
    private MeterListener? _meters;

    /// <summary>Whether an activity listener and a meter listener are attached.</summary>
    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "bench";
        builder.AddJson(BenchJsonContext.Default);
        builder.Functions.MapHttp<GreetFunction, Greeting, GreetingReply>("POST /greet");
        var app = builder.Build();
        _services = app.Services.BuildServiceProvider();
        _executor = new FunctionExecutor("aws", _services);
        _function = app.Catalog.Get(app.Catalog.Functions[0].Name);
        if (!Listening) return;
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PortableTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener { InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument) };
        _meters.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _meters.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _meters.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _activities?.Dispose();
        _meters?.Dispose();
    }

    /// <summary>What any invocation needs: a scope, a context, the function's JSON invoker.</summary>
    [Benchmark(Baseline = true)]
    public async Task<byte[]?> Direct()
    {
        var scope = _services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = new FunctionContext("1", _function.Name, "aws", scope.ServiceProvider, NullLogger.Instance);
            return await _function.Invoker.InvokeJsonAsync(scope.ServiceProvider, Input, context, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The executor's invocation: the same, plus the span, the log scope, the metrics and the completion log.</summary>
    [Benchmark]
    public Task<byte[]?> Executor() => _executor.InvokeJsonAsync(_function, Input, new InvocationInfo { InvocationId = "1" }, CancellationToken.None);
}

/// <summary>The benchmark's input.</summary>
public sealed record Greeting(string Name);

/// <summary>The benchmark's output.</summary>
public sealed record GreetingReply(string Message);

/// <summary>A function that does almost nothing, so the invocation's own cost shows.</summary>
public sealed class GreetFunction : IFunction<Greeting, GreetingReply>
{
    public Task<GreetingReply> HandleAsync(Greeting input, FunctionContext context, CancellationToken cancellationToken)
        => Task.FromResult(new GreetingReply("Hello, " + input.Name));
}

[JsonSerializable(typeof(Greeting))]
[JsonSerializable(typeof(GreetingReply))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
