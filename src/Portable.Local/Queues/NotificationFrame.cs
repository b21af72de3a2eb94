using System.Text.Json;

namespace Portable.Local.Queues;

/// <summary>
/// How a notification is stored on a subscription queue: one line of JSON with its topic, subject, attributes and
/// deduplication id, a newline, then the body's UTF-8 bytes as published. The body is copied, never escaped into JSON or
/// parsed back: the sender serialized it once, the subscriber's handler reads it once. The stored message stays readable
/// text for the dead-letter listing. A message without a newline is a whole notification as JSON, as stored before.
/// </summary>
internal static class NotificationFrame
{
    public static byte[] Write(Notification notification)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(
            new NotificationHeader(notification.Topic, notification.Subject, notification.Attributes, notification.DeduplicationId),
            LocalJsonContext.Default.NotificationHeader);
        var body = notification.Utf8Body.Span;
        var frame = new byte[header.Length + 1 + body.Length];
        header.CopyTo(frame, 0);
        frame[header.Length] = (byte)'\n';
        body.CopyTo(frame.AsSpan(header.Length + 1));
        return frame;
    }

    /// <exception cref="InvalidInputException">The stored message is not a notification.</exception>
    public static Notification Read(byte[] message)
    {
        try
        {
            var newline = Array.IndexOf(message, (byte)'\n');
            if (newline < 0)
            {
                return JsonSerializer.Deserialize(message, LocalJsonContext.Default.Notification)
                    ?? throw new InvalidInputException("The stored notification is JSON null.");
            }

            var header = JsonSerializer.Deserialize(message.AsSpan(0, newline), LocalJsonContext.Default.NotificationHeader)
                ?? throw new InvalidInputException("The stored notification's header is JSON null.");
            if (string.IsNullOrEmpty(header.Topic)) throw new InvalidInputException("The stored notification's header has no topic.");
            return new Notification(header.Topic, message.AsMemory(newline + 1))
            {
                Subject = header.Subject,
                Attributes = header.Attributes ?? new Dictionary<string, string>(StringComparer.Ordinal),
                DeduplicationId = header.DeduplicationId,
            };
        }
        catch (JsonException e)
        {
            throw new InvalidInputException("The stored message is not a notification: " + e.Message, e);
        }
        catch (ArgumentException e)
        {
            // valid JSON that Notification refuses (no body): unreadable, and no retry would make it readable
            throw new InvalidInputException("The stored message is not a notification: " + e.Message, e);
        }
    }
}
