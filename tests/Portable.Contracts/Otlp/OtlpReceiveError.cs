namespace Portable.Contracts.Otlp;

/// <summary>A request the <see cref="OtlpReceiver"/> refused: what was sent, what it answered, and why.</summary>
/// <param name="Method">The request's method.</param>
/// <param name="Path">The request's path.</param>
/// <param name="ContentType">The request's content type, or empty.</param>
/// <param name="Status">The status code answered (400, 404, 405, 415).</param>
/// <param name="Message">Why it was refused.</param>
public sealed record OtlpReceiveError(string Method, string Path, string ContentType, int Status, string Message)
{
    /// <summary>One line for a failure message.</summary>
    public override string ToString() => $"{Method} {Path} ({(ContentType.Length == 0 ? "no content type" : ContentType)}) -> {Status}: {Message}";
}
