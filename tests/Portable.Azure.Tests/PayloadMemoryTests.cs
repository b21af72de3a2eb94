using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Azure.Bindings;
using Portable.Hosting;
using Portable.Testing;

namespace Portable.Azure.Tests;

/// <summary>
/// How the custom handler holds an invocation's payload: the queue message and the HTTP body are taken from it without a UTF-16
/// string (a slice when the JSON string has no escapes, one unescaped copy when it has), and the payload is not held while the
/// function runs.
/// </summary>
public sealed class PayloadMemoryTests : IAsyncLifetime
{
    private readonly Gate _gate = new();
    private PortableTestHost _host = null!;

    public async Task InitializeAsync() => _host = await PortableTestHost.StartAsync(builder =>
    {
        builder.AddJson(TestJson.Default);
        builder.Services.AddSingleton(_gate);
        builder.Functions.MapQueue<WaitsAtTheGate, QueueItem>("gated", name: "Gated");
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void QueueMessageWithoutEscapes_IsASliceOfThePayload_NotACopy()
    {
        var payload = Encoding.UTF8.GetBytes("""{"Data":{"message":"plain text, no escapes: é ✓"}}""");
        using var document = JsonDocument.Parse(payload.AsMemory());

        var message = PayloadReader.ReadMessage(document.RootElement.GetProperty("Data").GetProperty("message"), payload);

        Assert.True(MemoryMarshal.TryGetArray(message, out var segment));
        Assert.Same(payload, segment.Array);
        Assert.Equal("plain text, no escapes: é ✓", Encoding.UTF8.GetString(message.Span));
    }

    [Fact]
    public void QueueMessageWithEscapes_IsItsUnescapedUtf8()
    {
        var text = "{\"note\":\"a \\\"quoted\\\" line\\n\",\"emoji\":\"🎉\",\"tab\":\"\t\"}";
        var payload = Encoding.UTF8.GetBytes("{\"Data\":{\"message\":" + JsonSerializer.Serialize(text, TestJsonStrings.Default.String) + "}}");
        using var document = JsonDocument.Parse(payload.AsMemory());

        var message = PayloadReader.ReadMessage(document.RootElement.GetProperty("Data").GetProperty("message"), payload);

        Assert.Equal(Encoding.UTF8.GetBytes(text), message.ToArray());
    }

    [Fact]
    public void HttpBodyWithoutEscapes_IsASliceOfThePayload()
    {
        var payload = Encoding.UTF8.GetBytes("""{"req":{"Method":"POST","Url":"https://a.net/api/x","Body":"some body"}}""");
        using var document = JsonDocument.Parse(payload.AsMemory());

        var request = PayloadReader.ReadHttpRequest(document.RootElement.GetProperty("req"), "api", payload);

        Assert.True(MemoryMarshal.TryGetArray(request.Body, out var segment));
        Assert.Same(payload, segment.Array);
        Assert.Equal("some body", request.ReadText());
    }

    [Fact]
    public async Task WhileTheFunctionRuns_ThePayloadIsNotHeld_SoItsMemoryCanBeCollected()
    {
        var invoker = new CustomHandlerInvoker(_host.App.Catalog, new FunctionExecutor("azure", _host.Services, _host.App.TimeProvider),
            new HttpDispatcher(_host.App.Catalog, new FunctionExecutor("azure", _host.Services)), new AzureOptions(), _host.App.TimeProvider,
            NullLogger<CustomHandlerInvoker>.Instance);
        var (invocation, payload) = Start(invoker);
        await _gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var collected = !payload.IsAlive;
        _gate.Release.SetResult();
        var response = await invocation;

        Assert.True(collected, "the payload was still reachable while the function ran");
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(new QueueItem(7, 1), _gate.Seen);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Task<HandlerResponse> Invocation, WeakReference Payload) Start(CustomHandlerInvoker invoker)
    {
        var payload = Encoding.UTF8.GetBytes(AzureTestDriver.QueuePayload("""{"orderId":7,"quantity":1}""" + new string(' ', 100_000)));
        return (invoker.InvokeAsync("Gated", payload, new HandlerCall("inv-gated"), CancellationToken.None), new WeakReference(payload));
    }

    public sealed class Gate
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public QueueItem? Seen { get; set; }
    }

    public sealed class WaitsAtTheGate(Gate gate) : IMessageHandler<QueueItem>
    {
        public async Task HandleAsync(QueueItem message, FunctionContext context, CancellationToken cancellationToken)
        {
            gate.Seen = message;
            gate.Entered.SetResult();
            await gate.Release.Task.WaitAsync(cancellationToken);
        }
    }
}
