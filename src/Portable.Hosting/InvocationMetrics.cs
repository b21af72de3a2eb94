using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Portable.Hosting;

/// <summary>
/// The <c>Portable</c> meter's instruments, named after the OpenTelemetry FaaS metrics where those exist: <c>faas.invocations</c>,
/// <c>faas.invoke_duration</c> (seconds), <c>faas.coldstarts</c>, <c>faas.errors</c>, <c>faas.timeouts</c>; and for messages
/// <c>portable.message.delivery_attempt</c> (the attempt number of each delivery) and <c>portable.message.dead_letters</c>.
/// Every measurement carries <c>faas.invoked_name</c> and <c>faas.trigger</c>; invocations and durations also <c>portable.outcome</c>.
/// </summary>
internal sealed class InvocationMetrics
{
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 300, 900];

    private readonly Counter<long> _invocations;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _coldStarts;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _timeouts;
    private readonly Histogram<long> _deliveryAttempt;
    private readonly Counter<long> _deadLetters;

    public InvocationMetrics(IMeterFactory? factory)
    {
        var meter = factory?.Create(new MeterOptions(PortableTelemetry.Name)) ?? new Meter(PortableTelemetry.Name);
        _invocations = meter.CreateCounter<long>("faas.invocations", "{invocation}", "Invocations, by function, trigger and outcome.");
        _duration = meter.CreateHistogram("faas.invoke_duration", "s", "How long invocations took, by function, trigger and outcome.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _coldStarts = meter.CreateCounter<long>("faas.coldstarts", "{coldstart}", "Invocations that were the first of their process.");
        _errors = meter.CreateCounter<long>("faas.errors", "{error}", "Invocations that failed (not input refusals, timeouts or cancellations).");
        _timeouts = meter.CreateCounter<long>("faas.timeouts", "{timeout}", "Invocations that failed because their deadline passed.");
        _deliveryAttempt = meter.CreateHistogram<long>("portable.message.delivery_attempt", "{attempt}", "The delivery attempt of each message or notification handled: 1 for a first delivery.");
        _deadLetters = meter.CreateCounter<long>("portable.message.dead_letters", "{message}", "Messages the adapter dead-lettered, by function, trigger and reason.");
    }

    public void Record(string function, string trigger, string outcome, TimeSpan elapsed, bool coldStart)
    {
        if (_invocations.Enabled || _duration.Enabled)
        {
            var tags = new TagList { { "faas.invoked_name", function }, { "faas.trigger", trigger }, { "portable.outcome", outcome } };
            if (_invocations.Enabled) _invocations.Add(1, tags);
            if (_duration.Enabled) _duration.Record(elapsed.TotalSeconds, tags);
        }

        if (coldStart && _coldStarts.Enabled) _coldStarts.Add(1, Tags(function, trigger));
        if (outcome == InvocationOutcome.Error && _errors.Enabled) _errors.Add(1, Tags(function, trigger));
        if (outcome == InvocationOutcome.Timeout && _timeouts.Enabled) _timeouts.Add(1, Tags(function, trigger));
    }

    public void RecordDelivery(string function, string trigger, int attempt)
    {
        if (_deliveryAttempt.Enabled) _deliveryAttempt.Record(attempt, Tags(function, trigger));
    }

    public void RecordDeadLetter(string function, string trigger, string reason)
    {
        if (!_deadLetters.Enabled) return;
        var tags = Tags(function, trigger);
        tags.Add("portable.dead_letter.reason", reason);
        _deadLetters.Add(1, tags);
    }

    private static TagList Tags(string function, string trigger) => new() { { "faas.invoked_name", function }, { "faas.trigger", trigger } };
}

/// <summary>The values of <c>portable.outcome</c>.</summary>
internal static class InvocationOutcome
{
    public const string Success = "success";
    public const string InvalidInput = "invalid_input";
    public const string Error = "error";
    public const string Timeout = "timeout";
    public const string Cancelled = "cancelled";
}
