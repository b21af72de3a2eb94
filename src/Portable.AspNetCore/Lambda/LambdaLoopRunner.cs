using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.Aws.Runtime;

namespace Portable.AspNetCore.Lambda;

/// <summary>
/// Runs the Runtime API loop of an ASP.NET Core <see cref="Microsoft.AspNetCore.Hosting.Server.IServer"/> on Lambda, whether it
/// serves HTTP (<see cref="LambdaServer"/>) or one Portable function: in the background once the app has started (so everything
/// that fails while the app starts is still a start failure, reported by <see cref="LambdaInitErrorReporter"/>), stopped with the
/// host; if the Runtime API fails the app stops with exit code 1, so Lambda starts a new environment.
/// </summary>
internal sealed partial class LambdaLoopRunner(ILogger log, IHostApplicationLifetime lifetime, LambdaInitErrorReporter? initErrors) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private volatile Task _loop = Task.CompletedTask;

    /// <summary>The running loop; null before <see cref="Start"/>.</summary>
    public LambdaRuntimeLoop? Runtime { get; private set; }

    /// <summary>Runs the loop, from when the app has started, until <see cref="StopAsync"/> or a failure of the Runtime API.</summary>
    public void Start(LambdaRuntimeLoop runtime)
    {
        Runtime = runtime;
        lifetime.ApplicationStarted.Register(() =>
        {
            if (_stopping.IsCancellationRequested) return;
            initErrors?.LoopStarting();
            _loop = Task.Run(() => RunAsync(runtime), CancellationToken.None);
        });
    }

    /// <summary>Stops the loop and waits for it, at most until the host's shutdown timeout.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopTimedOut(log);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        Runtime?.Dispose();
    }

    private async Task RunAsync(LambdaRuntimeLoop runtime)
    {
        try
        {
            await runtime.RunAsync(_stopping.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The Runtime API failed: the app stops (exit code 1) and Lambda starts a new environment.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogRuntimeApiFailed(log, e);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(4, LogLevel.Critical, "The Lambda Runtime API failed; stopping the app so that Lambda starts a new environment")]
    private static partial void LogRuntimeApiFailed(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "The Lambda loop did not stop within the host's shutdown timeout")]
    private static partial void LogStopTimedOut(ILogger logger);
}
