namespace Portable.Hosting;

/// <summary>
/// Sends the telemetry an exporter still holds. A platform that freezes or throttles the process between invocations (AWS Lambda
/// freezes it when the runtime asks for the next event) calls every registered flush after an invocation is answered and before it
/// waits for the next one, so spans and metrics leave while the process still runs. <c>Portable.OpenTelemetry</c> registers one.
/// </summary>
public interface ITelemetryFlush
{
    /// <summary>Sends what is buffered, waiting at most <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The longest wait.</param>
    /// <returns>True when everything was sent in time.</returns>
    bool Flush(TimeSpan timeout);
}
