using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>The GCP host on real Kestrel (127.0.0.1, a free port), serving one target of the test app.</summary>
internal sealed class RunningGcpHost : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly SyncedWriter _log;

    private RunningGcpHost(WebApplication web, SyncedWriter log, Recorder recorder, string address)
    {
        _web = web;
        _log = log;
        Recorder = recorder;
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public Recorder Recorder { get; }

    public HttpClient Client { get; }

    public string Log => _log.Text;

    public IReadOnlyList<string> LogLines => Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static async Task<RunningGcpHost> StartAsync(string target, string? signatureType = null, string? projectId = "test-project")
    {
        var recorder = new Recorder();
        var app = TestApp.Build(recorder);
        var settings = new GcpSettings { Port = 0, Target = target, SignatureType = signatureType, ProjectId = projectId, ShutdownTimeout = TimeSpan.FromSeconds(15) };
        var log = new SyncedWriter();
        var web = GcpHost.Build(app, settings, logOutput: log);
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningGcpHost(web, log, recorder, address);
    }

    public Task StopAsync() => _web.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _web.StopAsync();
        await _web.DisposeAsync();
    }

    private sealed class SyncedWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public string Text
        {
            get
            {
                lock (_gate) return ToString();
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_gate) base.WriteLine(value);
        }
    }
}
