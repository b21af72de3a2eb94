using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Runtime;

namespace Portable.AspNetCore.Lambda;

/// <summary>
/// Tells Lambda that an ASP.NET Core app could not start (<c>POST /runtime/init/error</c> with an <c>errorType</c> and
/// <c>errorMessage</c>, through <see cref="LambdaRuntimeLoop.ReportInitErrorAsync"/>), as Portable's own bootstrap does, so the
/// failure is recorded as <c>Runtime.InitError</c> with its reason instead of a bare exit. Reported once, and only while the app
/// is starting: once the loop is about to ask for its first event, nothing is reported (a later crash is Lambda's
/// <c>Runtime.ExitError</c>).
/// </summary>
/// <remarks>
/// <c>AddPortable</c> reports its own failures (a <c>_HANDLER</c> naming no function, functions wired wrongly); the Lambda servers
/// report theirs; anything else that escapes the app's <c>Main</c> while it starts (<c>builder.Build()</c>, a hosted service,
/// options validated at start) reaches it through <see cref="AppDomain.UnhandledException"/>, which it listens to until the loop
/// starts. Each report writes one line to stderr (Lambda's log), saying whether the Runtime API took it.
/// </remarks>
internal sealed class LambdaInitErrorReporter
{
    /// <summary>The longest a report may take (Lambda's init phase has 10 seconds in all).</summary>
    public static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(3);

    private readonly string _runtimeApi;
    private readonly TextWriter _log;
    private readonly UnhandledExceptionEventHandler _onUnhandled;
    private int _done; // 1 once reported, or once the loop has started

    internal LambdaInitErrorReporter(string runtimeApi, TextWriter log)
    {
        _runtimeApi = runtimeApi;
        _log = log;
        _onUnhandled = (_, e) =>
        {
            if (e.ExceptionObject is Exception exception) Report(exception);
        };
    }

    /// <summary>Whether the app's start failure has been reported (tests).</summary>
    internal bool Reported { get; private set; }

    /// <summary>The app's reporter: the one already registered in <paramref name="services"/>, else a new one, registered and listening for unhandled exceptions.</summary>
    public static LambdaInitErrorReporter Attach(IServiceCollection services, string runtimeApi)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(LambdaInitErrorReporter))?.ImplementationInstance is LambdaInitErrorReporter existing) return existing;
        var reporter = new LambdaInitErrorReporter(runtimeApi, Console.Error);
        services.AddSingleton(reporter);
        AppDomain.CurrentDomain.UnhandledException += reporter._onUnhandled;
        return reporter;
    }

    /// <summary>The loop is about to ask for its first event: the start is over, nothing more is reported.</summary>
    public void LoopStarting()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0) AppDomain.CurrentDomain.UnhandledException -= _onUnhandled;
    }

    /// <summary>Reports <paramref name="exception"/> as the app's start failure, waiting for the answer (for callers that cannot await).</summary>
    public void Report(Exception exception) => ReportAsync(exception, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Reports <paramref name="exception"/> as the app's start failure, unless one was reported already or the loop has started; never throws.</summary>
    public async Task ReportAsync(Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Interlocked.Exchange(ref _done, 1) != 0) return;
        AppDomain.CurrentDomain.UnhandledException -= _onUnhandled;
        Reported = true;
        string outcome;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PostTimeout);
            outcome = await LambdaRuntimeLoop.ReportInitErrorAsync(_runtimeApi, exception, timeout.Token).ConfigureAwait(false)
                ? $"reported to the Runtime API as {LambdaInitError}"
                : $"the Runtime API refused the report ({LambdaInitError})";
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            outcome = $"the Runtime API could not be told ({e.GetType().Name}: {e.Message})";
        }

        await _log.WriteLineAsync($"Portable.AspNetCore: the app could not start on AWS Lambda: {exception.GetType().Name}: {exception.Message} ({outcome})").ConfigureAwait(false);
    }

    private const string LambdaInitError = "Runtime.InitError";
}
