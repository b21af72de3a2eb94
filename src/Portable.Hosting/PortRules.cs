using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Portable.Hosting;

/// <summary>
/// The rules every repository, queue and notifier implementation enforces, written once so that each platform accepts and
/// refuses the same input: document ids, send options (delay limit, deduplication ids) and notifications.
/// </summary>
public static class PortRules
{
    /// <summary>The longest delay a message can be sent with (the SQS limit, and so the limit everywhere).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>The longest deduplication id, leaving room in the SQS limit of 128 for a batch index suffix.</summary>
    public const int MaxDeduplicationIdLength = 100;

    /// <summary>The longest document id, in bytes of UTF-8: what every store can hold once its keys are escaped.</summary>
    public const int MaxDocumentIdBytes = 256;

    /// <summary>The largest document, in bytes of its serialized UTF-8 JSON (256 KiB): what every store can hold with its bookkeeping.</summary>
    public const int MaxDocumentBytes = 256 * 1024;

    /// <summary>
    /// Checks a document id against the one id rule of every store: 1 to <see cref="MaxDocumentIdBytes"/> bytes in UTF-8,
    /// well-formed UTF-16 (no lone surrogate), and no control character (Unicode category Cc: U+0000–U+001F, U+007F–U+009F).
    /// Every other string round-trips exactly on every store.
    /// </summary>
    /// <param name="id">The document id.</param>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> breaks the rule; the message says how. Functions answer it as invalid input (400).</exception>
    public static void ValidateDocumentId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0) throw new PortRuleException($"The document id is empty; ids are 1 to {MaxDocumentIdBytes} bytes in UTF-8.", nameof(id));
        var bytes = 0;
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (char.IsHighSurrogate(c) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
            {
                bytes += 4;
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new PortRuleException(
                    string.Create(CultureInfo.InvariantCulture, $"The document id contains a lone surrogate at index {i} (U+{(int)c:X4}); ids must be well-formed UTF-16 text."), nameof(id));
            }
            else if (char.IsControl(c))
            {
                throw new PortRuleException(
                    string.Create(CultureInfo.InvariantCulture, $"The document id contains the control character U+{(int)c:X4} at index {i}; ids cannot hold control characters (U+0000 to U+001F, U+007F to U+009F)."), nameof(id));
            }
            else
            {
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }

        if (bytes > MaxDocumentIdBytes)
        {
            throw new PortRuleException(
                string.Create(CultureInfo.InvariantCulture, $"The document id is {bytes:N0} bytes in UTF-8; ids are at most {MaxDocumentIdBytes}."), nameof(id));
        }
    }

    /// <summary>
    /// Serializes a document about to be written and checks its size (<see cref="ValidateDocumentSize"/>). The JSON is written
    /// into pooled memory and copied into an array of its length only when it is within the limit. A document over the limit is
    /// refused as soon as that is certain: a string too long for the room left is refused before it is escaped or transcoded (its
    /// message then says how many bytes the document is at least), so a huge document costs no copy of itself at all.
    /// </summary>
    /// <typeparam name="T">The document type.</typeparam>
    /// <param name="value">The document.</param>
    /// <param name="typeInfo">The document's JSON metadata.</param>
    /// <param name="collection">The repository's collection, for the message.</param>
    /// <param name="id">The document id, for the message.</param>
    /// <returns>The document's UTF-8 JSON.</returns>
    /// <exception cref="ArgumentException">The document is over <see cref="MaxDocumentBytes"/>; the message says how large it is (or, for a document refused before it was written whole, how large at least).</exception>
    public static byte[] SerializeDocument<T>(T value, JsonTypeInfo<T> typeInfo, string collection, string id)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        using var buffer = new CappedBufferWriter(MaxDocumentBytes, atLeast => throw DocumentTooLarge(atLeast, exact: false, collection, id));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = new DocumentEncoder(buffer) }))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        ValidateDocumentSize(buffer.WrittenCount, collection, id);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Checks the size of a document about to be written: at most <see cref="MaxDocumentBytes"/> bytes of serialized UTF-8 JSON.</summary>
    /// <param name="bytes">The length of the document's serialized UTF-8 JSON.</param>
    /// <param name="collection">The repository's collection, for the message.</param>
    /// <param name="id">The document id, for the message.</param>
    /// <exception cref="ArgumentException">The document is larger than <see cref="MaxDocumentBytes"/>. Functions answer it as invalid input (400).</exception>
    public static void ValidateDocumentSize(int bytes, string collection, string id)
    {
        if (bytes <= MaxDocumentBytes) return;
        throw DocumentTooLarge(bytes, exact: true, collection, id);
    }

    private static PortRuleException DocumentTooLarge(long bytes, bool exact, string collection, string id) => new(
        string.Create(CultureInfo.InvariantCulture, $"The document '{collection}/{id}' is {(exact ? "" : "at least ")}{bytes:N0} bytes of JSON; documents are at most {MaxDocumentBytes:N0} bytes (256 KiB) on every platform."),
        "value");

    /// <summary>Checks send options against the limits and the queue's capabilities, and returns the delay to apply.</summary>
    /// <param name="options">The options given to the send, or null.</param>
    /// <param name="queue">The queue's name, for the messages.</param>
    /// <param name="capabilities">What the queue implementation can do.</param>
    /// <returns>The delay when it is longer than zero, else null.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The delay is negative or longer than <see cref="MaxDelay"/>.</exception>
    /// <exception cref="ArgumentException">The deduplication id breaks <see cref="ValidateDeduplicationId"/>.</exception>
    /// <exception cref="NotSupportedException">A delay was asked of a queue without delayed delivery.</exception>
    public static TimeSpan? ValidateSend(SendOptions? options, string queue, QueueCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        if (options is null) return null;
        ValidateDeduplicationId(options.DeduplicationId, nameof(options));
        if (options.Delay is not { } delay) return null;
        if (delay < TimeSpan.Zero || delay > MaxDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(options), delay, $"A message delay is from zero to {MaxDelay.TotalMinutes:0} minutes, as on every platform Portable supports.");
        }

        if (delay == TimeSpan.Zero) return null;
        if (!capabilities.DelayedDelivery)
        {
            throw new NotSupportedException(
                $"Queue '{queue}' is on {capabilities.Service}, which has no delayed delivery; send without a delay{(capabilities.DelayAlternative is { } alternative ? ", or " + alternative : "")}.");
        }

        return delay;
    }

    /// <summary>Checks a notification: a topic and a valid deduplication id if any (<see cref="Notification"/> itself refuses a null body).</summary>
    /// <param name="notification">The notification.</param>
    /// <exception cref="ArgumentNullException"><paramref name="notification"/> is null.</exception>
    /// <exception cref="ArgumentException">The topic is empty, or the deduplication id breaks <see cref="ValidateDeduplicationId"/>.</exception>
    public static void ValidateNotification(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentException.ThrowIfNullOrEmpty(notification.Topic, nameof(notification));
        ValidateDeduplicationId(notification.DeduplicationId, nameof(notification));
    }

    /// <summary>Checks a deduplication id: null, or 1 to <see cref="MaxDeduplicationIdLength"/> printable ASCII characters without spaces (what SQS and SNS accept).</summary>
    /// <param name="deduplicationId">The id, or null.</param>
    /// <param name="parameterName">The parameter the id came in, for the exception.</param>
    /// <exception cref="ArgumentException">The id is empty, too long, or has other characters.</exception>
    public static void ValidateDeduplicationId(string? deduplicationId, string parameterName)
    {
        if (deduplicationId is null) return;
        if (deduplicationId.Length is 0 or > MaxDeduplicationIdLength || deduplicationId.Any(c => c is < '!' or > '~'))
        {
            throw new ArgumentException(
                $"The deduplication id '{deduplicationId}' is not 1 to {MaxDeduplicationIdLength} printable ASCII characters without spaces.", parameterName);
        }
    }
}
