using Cronos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.Hosting;

namespace Portable.Local.Scheduling;

/// <summary>Runs <see cref="TriggerKind.Schedule"/> functions at their cron occurrences (UTC). Occurrences missed while the host was down are not replayed.</summary>
internal sealed partial class LocalScheduler(PortableApp app, FunctionExecutor executor, LocalOptions options, TimeProvider time, ILogger<LocalScheduler> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunSchedules) return Task.CompletedTask;
        var loops = app.Catalog.Functions
            .Where(f => f.Trigger.Kind == TriggerKind.Schedule)
            .Select(f => RunAsync(f, CronExpression.Parse(f.Trigger.Cron!), stoppingToken))
            .ToList();
        return Task.WhenAll(loops);
    }

    private async Task RunAsync(FunctionDefinition function, CronExpression cron, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (cron.GetNextOccurrence(now.UtcDateTime, inclusive: false) is not { } next) return;
            LogNext(log, function.Name, next);
            try
            {
                await Task.Delay(new DateTimeOffset(next) - now, time, stoppingToken).ConfigureAwait(false);
                await executor.InvokeScheduleAsync(function, new ScheduledEvent(function.Name, new DateTimeOffset(next), function.Trigger.Cron!), new InvocationInfo(), stoppingToken)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The executor logged the failure; the next occurrence runs as planned.
            }
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "{FunctionName} next runs at {Next:u}")]
    private static partial void LogNext(ILogger logger, string functionName, DateTime next);
}
