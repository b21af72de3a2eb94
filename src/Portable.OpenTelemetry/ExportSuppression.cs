namespace Portable.OpenTelemetry;

/// <summary>
/// Marks the exporter's own work, so that its HTTP requests are neither traced nor measured: without it every export would make a
/// <c>System.Net.Http</c> span and request-duration measurement, exported next time, for ever.
/// </summary>
internal static class ExportSuppression
{
    private static readonly AsyncLocal<bool> Suppressed = new();

    public static bool IsActive => Suppressed.Value;

    /// <summary>Suppresses telemetry on this flow until the returned scope is disposed.</summary>
    public static Scope Begin()
    {
        var previous = Suppressed.Value;
        Suppressed.Value = true;
        return new Scope(previous);
    }

    public readonly struct Scope(bool previous) : IDisposable
    {
        public void Dispose() => Suppressed.Value = previous;
    }
}
