namespace Portable.OpenTelemetry;

/// <summary>A collector's answer to one export request, whichever client carried it.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Reason">The reason phrase, possibly empty.</param>
/// <param name="RetryAfter">The <c>Retry-After</c> header as sent, or null.</param>
/// <param name="Body">The start of the body, at most <see cref="MaxBody"/> bytes.</param>
internal sealed record OtlpAnswer(int Status, string Reason, string? RetryAfter, byte[] Body)
{
    /// <summary>How much of an answer's body is kept: enough for a partial success or an error text, bounded against a wrong server.</summary>
    public const int MaxBody = 64 * 1024;
}
