namespace Portable.Contracts.Otlp;

/// <summary>An event recorded on a span (for example <c>exception</c>, with <c>exception.type</c> and <c>exception.message</c>).</summary>
/// <param name="Name">The event's name.</param>
/// <param name="Time">When the event happened.</param>
/// <param name="Attributes">The event's attributes, typed as <see cref="OtlpSpan.Attributes"/> are.</param>
public sealed record OtlpSpanEvent(string Name, DateTimeOffset Time, IReadOnlyDictionary<string, object?> Attributes)
{
    /// <summary>The attribute's value as a string (invariant culture), or null when the event does not have it.</summary>
    /// <param name="key">The attribute's key.</param>
    public string? Attribute(string key) => OtlpValues.Format(Attributes, key);
}
