using System.Text;
using System.Text.Json.Serialization;

namespace Portable;

/// <summary>A notification published on a topic.</summary>
/// <remarks>
/// The body is kept in the form it arrived in: text when made from a <see cref="string"/>, UTF-8 bytes when made from
/// bytes (what every adapter receives), and converted at most once, when the other form is first asked for. A handler of
/// a typed message is given the body's bytes straight from the platform's envelope, so the body is serialized once by
/// its sender and deserialized once by its consumer. Publish with the bytes constructor when you have them
/// (<c>JsonSerializer.SerializeToUtf8Bytes</c>).
/// </remarks>
public sealed record Notification
{
    private string? _body;
    private ReadOnlyMemory<byte>? _utf8Body;

    /// <summary>Creates a notification with a text body.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="body">The body, usually JSON.</param>
    [JsonConstructor]
    public Notification(string topic, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Topic = topic;
        _body = body;
    }

    /// <summary>Creates a notification with a UTF-8 body, used as it is (not copied).</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="utf8Body">The body in UTF-8, usually JSON.</param>
    public Notification(string topic, ReadOnlyMemory<byte> utf8Body)
    {
        Topic = topic;
        _utf8Body = utf8Body;
    }

    /// <summary>The topic name.</summary>
    public string Topic { get; init; }

    /// <summary>The body as text, usually JSON; decoded from <see cref="Utf8Body"/> the first time it is asked for when the notification was made from bytes.</summary>
    public string Body
    {
        get => _body ??= Encoding.UTF8.GetString(_utf8Body.GetValueOrDefault().Span);
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _body = value;
            _utf8Body = null;
        }
    }

    /// <summary>The body in UTF-8; encoded from <see cref="Body"/> the first time it is asked for when the notification was made from text.</summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte> Utf8Body => _utf8Body ??= Encoding.UTF8.GetBytes(_body!);

    /// <summary>A short subject line (SNS subject, Event Grid subject).</summary>
    public string? Subject { get; init; }

    /// <summary>Message attributes, delivered with the body.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Notifications on the same topic with the same id, published within the platform's window, are delivered once.</summary>
    public string? DeduplicationId { get; init; }

    /// <summary>The topic and the body as text.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="body">The body.</param>
    public void Deconstruct(out string topic, out string body)
    {
        topic = Topic;
        body = Body;
    }

    /// <summary>Equal when topic, body (as text or as bytes, whichever both have), subject, attributes (the same names and values) and deduplication id are.</summary>
    /// <param name="other">The other notification.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(Notification? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || Topic != other.Topic || Subject != other.Subject || DeduplicationId != other.DeduplicationId
            || !SameAttributes(Attributes, other.Attributes))
        {
            return false;
        }

        return _body is not null && other._body is not null
            ? string.Equals(_body, other._body, StringComparison.Ordinal)
            : Utf8Body.Span.SequenceEqual(other.Utf8Body.Span);
    }

    private static bool SameAttributes(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
        => ReferenceEquals(a, b) || (a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var value) && string.Equals(value, p.Value, StringComparison.Ordinal)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Topic, Subject, DeduplicationId, Body.Length);
}
