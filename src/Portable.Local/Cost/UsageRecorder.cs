using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Hosting;

namespace Portable.Local.Cost;

/// <summary>
/// Measures the local host's functions for the cost projection: each invocation's duration from the <c>Portable</c> meter's
/// <c>faas.invoke_duration</c> (a <see cref="MeterListener"/> on this host's own <see cref="IMeterFactory"/>, so two hosts in one
/// process never count each other's invocations, and nothing changes how traces are sampled), payload sizes from the local host's
/// HTTP handler and queue dispatcher, and the process's peak working set. Kept in bounded records (<see cref="FunctionUsage"/>)
/// and written to <c>usage.json</c> in the data folder by <see cref="UsagePersister"/>; the file's earlier runs are read on the first
/// save or report, never at start. Local only: Portable.Local is not in a cloud build.
/// </summary>
internal sealed partial class UsageRecorder : IDisposable
{
    private const string DurationInstrument = "faas.invoke_duration";

    private readonly Lock _gate = new();
    private readonly Lock _saving = new();
    private readonly UsageDocument _usage = new();
    private readonly MeterListener _listener;
    private readonly IMeterFactory? _scope;
    private readonly HttpRouter _router;
    private readonly string? _dataDirectory;
    private readonly ILogger _log;
    private bool _loaded;
    private long _changes;
    private long _savedChanges;

    /// <remarks>
    /// Made with the local host's HTTP handler, before it listens. Its logger comes from <see cref="ILoggerFactory"/> (the same
    /// category as <c>ILogger&lt;UsageRecorder&gt;</c>): the container would make <c>Logger&lt;UsageRecorder&gt;</c> from the open generic
    /// type, which Native AOT builds at run time on every start.
    /// </remarks>
    public UsageRecorder(PortableApp app, LocalOptions options, IServiceProvider services, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _log = loggers.CreateLogger<UsageRecorder>();
        _router = new HttpRouter(app.Catalog);
        _dataDirectory = options.InMemory ? null : options.DataDirectory;
        _loaded = _dataDirectory is null; // in memory there are no earlier runs to read
        _scope = services.GetService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == DurationInstrument && instrument.Meter.Name == PortableTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, _scope))
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<double>(OnDuration);
        _listener.Start();
    }

    /// <summary>The usage file, or null when the host keeps its data in memory.</summary>
    public string? FilePath => _dataDirectory is null ? null : UsageDocument.PathIn(_dataDirectory);

    /// <summary>Counts one invocation of <paramref name="function"/> that took <paramref name="milliseconds"/>.</summary>
    public void RecordDuration(string function, double milliseconds)
    {
        lock (_gate)
        {
            Of(function).Add(milliseconds);
            Interlocked.Increment(ref _changes);
        }
    }

    /// <summary>Counts the payload sizes of one invocation of <paramref name="function"/>.</summary>
    public void RecordPayload(string function, long requestBytes, long responseBytes)
    {
        lock (_gate)
        {
            Of(function).AddPayload(requestBytes, responseBytes);
            Interlocked.Increment(ref _changes);
        }
    }

    /// <summary>Answers an HTTP request through <paramref name="answer"/> and counts its body sizes against the function its route maps to.</summary>
    public async Task<HttpResponseData> MeasureHttpAsync(HttpRequestData request, Task<HttpResponseData> answer)
    {
        var response = await answer.ConfigureAwait(false);
        if (_router.Match(request.Method, request.Path) is { Status: RouteMatchStatus.Found, Function: { } function })
            RecordPayload(function.Name, request.Body.Length, response.Body.Length);
        return response;
    }

    /// <summary>A copy of everything measured, this run and the earlier runs in the usage file, with the peak working set now.</summary>
    public UsageDocument Snapshot()
    {
        EnsureLoaded();
        var peak = PeakWorkingSet();
        lock (_gate)
        {
            _usage.PeakWorkingSetBytes = Math.Max(_usage.PeakWorkingSetBytes, peak);
            var copy = new UsageDocument { PeakWorkingSetBytes = _usage.PeakWorkingSetBytes, Updated = _usage.Updated };
            foreach (var (name, usage) in _usage.Functions) copy.Functions[name] = usage.Clone();
            return copy;
        }
    }

    /// <summary>Writes the usage file if anything changed since the last write; nothing when the host keeps its data in memory.</summary>
    public void Save()
    {
        if (_dataDirectory is null) return;
        lock (_saving) // the timer's save and the stop's save never write the temporary file at once
        {
            var changes = Interlocked.Read(ref _changes);
            if (changes == _savedChanges && _loaded) return;
            var snapshot = Snapshot();
            snapshot.Updated = DateTimeOffset.UtcNow;
            snapshot.Save(_dataDirectory);
            _savedChanges = changes;
            LogSaved(_log, snapshot.Functions.Values.Sum(f => f.Invocations), FilePath!);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnDuration(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        foreach (var tag in tags)
        {
            if (tag is { Key: "faas.invoked_name", Value: string function })
            {
                RecordDuration(function, seconds * 1000);
                return;
            }
        }
    }

    /// <summary>Reads the earlier runs from the usage file once, and adds them in; a file that cannot be read is logged and set aside.</summary>
    private void EnsureLoaded()
    {
        if (Volatile.Read(ref _loaded)) return;
        UsageDocument earlier;
        try
        {
            earlier = UsageDocument.Load(_dataDirectory!);
        }
        catch (Exception e) when (e is PortableConfigurationException or IOException or UnauthorizedAccessException)
        {
            LogUnreadable(_log, e, FilePath!);
            earlier = new UsageDocument();
        }

        lock (_gate)
        {
            if (_loaded) return;
            foreach (var (name, usage) in earlier.Functions) Of(name).Merge(usage);
            _usage.PeakWorkingSetBytes = Math.Max(_usage.PeakWorkingSetBytes, earlier.PeakWorkingSetBytes);
            _loaded = true;
        }
    }

    private FunctionUsage Of(string function)
    {
        if (!_usage.Functions.TryGetValue(function, out var usage)) _usage.Functions[function] = usage = new FunctionUsage();
        return usage;
    }

    /// <summary>The process's peak working set (<see cref="Process.PeakWorkingSet64"/>), or 0 where the platform does not say.</summary>
    private static long PeakWorkingSet()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            return process.PeakWorkingSet64;
        }
        catch (Exception e) when (e is InvalidOperationException or PlatformNotSupportedException or NotSupportedException)
        {
            return 0;
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Saved the measurements of {Invocations} invocations to {Path}")]
    private static partial void LogSaved(ILogger logger, long invocations, string path);

    [LoggerMessage(2, LogLevel.Warning, "The usage file {Path} cannot be read, so earlier runs are left out of the cost projection and it will be overwritten")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string path);
}
