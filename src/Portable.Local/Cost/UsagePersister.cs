using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Portable.Local.Cost;

/// <summary>
/// Writes the local host's measurements to <c>usage.json</c> every <see cref="Interval"/> while something changed, and once more
/// at stop (registered before the queue dispatcher, so it stops after the last message is handled). Its start does nothing but
/// start a timer. Its logger comes from <see cref="ILoggerFactory"/> rather than as <c>ILogger&lt;UsagePersister&gt;</c>, which the
/// container would build from the open generic type at run time on every Native AOT start.
/// </summary>
internal sealed partial class UsagePersister(UsageRecorder recorder, TimeProvider time, ILoggerFactory loggers) : IHostedService, IDisposable
{
    private readonly ILogger _log = loggers.CreateLogger<UsagePersister>();
    private ITimer? _timer;

    /// <summary>How often the file is written while the host runs: 30 s.</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(30);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (recorder.FilePath is not null) _timer = time.CreateTimer(_ => Save(), null, Interval, Interval);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null) await _timer.DisposeAsync().ConfigureAwait(false);
        Save();
    }

    public void Dispose() => _timer?.Dispose();

    private void Save()
    {
        try
        {
            recorder.Save();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(_log, e, recorder.FilePath!);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "The cost measurements could not be written to {Path}; the host keeps serving and tries again later")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, string path);
}
