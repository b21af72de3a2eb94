using Portable.Aws.Runtime;

namespace Portable.Aws.Tests.Fixtures;

/// <summary>Runs the real Lambda bootstrap in this process against a <see cref="FakeRuntimeApi"/>.</summary>
public sealed class RuntimeHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private RuntimeHarness(FakeRuntimeApi api, StringWriter log, Task<int> loop)
    {
        Api = api;
        Log = log;
        Loop = loop;
    }

    public FakeRuntimeApi Api { get; }

    public StringWriter Log { get; }

    public Task<int> Loop { get; private set; }

    public static async Task<RuntimeHarness> StartAsync(string handler, Action<PortableAppBuilder>? configure = null)
    {
        var api = await FakeRuntimeApi.StartAsync();
        var builder = PortableApp.CreateBuilder([]);
        (configure ?? TestApp.Configure)(builder);
        var app = builder.Build();
        var environment = new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = api.Address,
            ["_HANDLER"] = handler,
        };
        var log = new StringWriter();
        var harness = new RuntimeHarness(api, log, Task.FromResult(0));
        harness.Loop = Task.Run(() => LambdaBootstrap.RunAsync(app, name => environment.GetValueOrDefault(name), TextWriter.Synchronized(log), harness._stop.Token));
        return harness;
    }

    public string[] LogLines()
    {
        lock (Log) return Log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await Api.DisposeAsync();
            _stop.Dispose();
        }
    }
}
