using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using System.Text.Json;
using Portable.Local.Blobs;
using Portable.Local.Cost;
using Portable.Local.Dashboard;

namespace Portable.Local.Tests;

/// <summary>
/// What the local host makes before its first answer: a function's first request must not pay for the dashboard, the cost
/// projection or the object endpoint (each is a logger and a graph of dependencies that Native AOT builds at run time), nor
/// for the usage file (bench/README.md, 2026-12-01 03:10).
/// </summary>
public sealed class LocalStartWorkTests
{
    [Fact]
    public async Task FunctionRequests_MakeNoDashboardCostOrObjectEndpoint_TheirFirstRequestsDo()
    {
        var made = new Made();
        await using var host = await RunningHost.StartAsync(web: b =>
        {
            b.Services.AddSingleton(sp => made.Count(nameof(DashboardApi), ActivatorUtilities.CreateInstance<DashboardApi>(sp)));
            b.Services.AddSingleton(sp => made.Count(nameof(CostEndpoint), ActivatorUtilities.CreateInstance<CostEndpoint>(sp)));
            b.Services.AddSingleton(sp => made.Count(nameof(LocalBlobEndpoint), ActivatorUtilities.CreateInstance<LocalBlobEndpoint>(sp)));
        });

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/ping/1")).StatusCode);
        Assert.Empty(made.Names); // built, started and answered a function: none of the three exists yet

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/_portable/api/cost?requests=1000")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/_portable/api/schedules")).StatusCode);
        await host.Client.GetAsync("/_portable/buckets/none/objects/x"); // whatever it answers, the object endpoint now exists
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/_portable/api/cost?requests=2000")).StatusCode);
        Assert.Equal([nameof(CostEndpoint), nameof(DashboardApi), nameof(LocalBlobEndpoint)], made.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WithoutMetricsListeners_TheHostHasNoStartupValidatorToBuild_AndItsInvocationsAreStillMeasured()
    {
        await using var host = await RunningHost.StartAsync();

        Assert.Null(host.Web.Services.GetService<IStartupValidator>()); // AddMetrics()'s ValidateOnStart option is gone (HostServices)
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/ping/1")).StatusCode);
        using var cost = JsonDocument.Parse(await host.Client.GetStringAsync("/_portable/api/cost?requests=1000"));
        var ping = cost.RootElement.GetProperty("functions").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "PingFunction");
        Assert.Equal(1, ping.GetProperty("invocations").GetInt64()); // the Portable meter, made by Portable's factory, still reaches the recorder
    }

    [Fact]
    public async Task AMetricsListenerTheHostIsGiven_IsStillStarted()
    {
        var listener = new PortableMeterListener();
        await using var host = await RunningHost.StartAsync(web: b => b.Services.AddSingleton<IMetricsListener>(listener));

        Assert.NotNull(host.Web.Services.GetService<IStartupValidator>());
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/ping/1")).StatusCode);
        Assert.True(listener.Initialized); // by AddMetrics()'s subscription manager, which the host kept
    }

    [Fact]
    public async Task StartAndFirstAnswer_NeitherReadNorWriteTheUsageFile_TheFirstCostReportReadsIt()
    {
        var folder = Directory.CreateTempSubdirectory("portable-start-").FullName;
        var logs = new ListLogger();
        try
        {
            var file = UsageDocument.PathIn(folder);
            File.WriteAllText(file, "{ not json"); // reading it logs a warning: the sign that it was read
            var written = File.GetLastWriteTimeUtc(file);
            await using var host = await RunningHost.StartAsync(o => { o.InMemory = false; o.DataDirectory = folder; }, web: b => b.Logging.AddProvider(logs));

            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/ping/1")).StatusCode);
            Assert.DoesNotContain(logs.Lines, l => l.Text.Contains("cannot be read", StringComparison.Ordinal));
            Assert.Equal(written, File.GetLastWriteTimeUtc(file));
            Assert.Equal("{ not json", File.ReadAllText(file));

            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/_portable/api/cost?requests=1000")).StatusCode);
            // The same line and category as before the recorder took its logger from the factory.
            Assert.Contains(logs.Lines, l => l.Category == typeof(UsageRecorder).FullName && l.Text.Contains("cannot be read", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class Made
    {
        private readonly Lock _gate = new();

        public List<string> Names { get; } = [];

        public T Count<T>(string name, T service)
        {
            lock (_gate) Names.Add(name);
            return service;
        }
    }
}

/// <summary>A metrics listener that notes that it was initialized.</summary>
internal sealed class PortableMeterListener : IMetricsListener
{
    public string Name => "portable-test";

    public bool Initialized { get; private set; }

    public void Initialize(IObservableInstrumentsSource source) => Initialized = true;

    public bool InstrumentPublished(System.Diagnostics.Metrics.Instrument instrument, out object? userState)
    {
        userState = null;
        return false;
    }

    public void MeasurementsCompleted(System.Diagnostics.Metrics.Instrument instrument, object? userState)
    {
    }

    public MeasurementHandlers GetMeasurementHandlers() => new();
}
