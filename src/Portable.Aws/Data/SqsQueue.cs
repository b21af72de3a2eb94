using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Portable.Hosting;

namespace Portable.Aws.Data;

/// <summary>
/// <see cref="IQueue{T}"/> on SQS: one <c>SendMessage</c>, or <c>SendMessageBatch</c> in groups of ten; a delay becomes
/// <c>DelaySeconds</c>. On a FIFO queue (<c>.fifo</c>) the deduplication id becomes <c>MessageDeduplicationId</c> and every
/// message goes to one message group, keeping order; standard queues have no deduplication, so the id is not sent.
/// </summary>
internal sealed class SqsQueue<T>(FunctionCatalog catalog, IAmazonSQS sqs, AwsResourceNames names) : IQueue<T>
{
    private readonly QueueDefinition<T> _definition = catalog.GetQueue<T>();
    private Task<string>? _url;

    public async Task SendAsync(T message, SendOptions? options, CancellationToken cancellationToken)
    {
        var url = await UrlAsync(cancellationToken).ConfigureAwait(false);
        var request = new SendMessageRequest { QueueUrl = url, MessageBody = JsonSerializer.Serialize(message, _definition.TypeInfo) };
        if (IsFifo(url))
        {
            request.MessageGroupId = _definition.Name;
            request.MessageDeduplicationId = options?.DeduplicationId;
        }
        else if (Delay(options) is { } delay)
        {
            request.DelaySeconds = delay;
        }

        await sqs.SendMessageAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task SendBatchAsync(IEnumerable<T> messages, SendOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var bodies = messages.Select(m => JsonSerializer.Serialize(m, _definition.TypeInfo)).ToList();
        if (bodies.Count == 0) return;
        var url = await UrlAsync(cancellationToken).ConfigureAwait(false);
        var delay = Delay(options);
        foreach (var chunk in bodies.Chunk(10))
        {
            var entries = chunk.Select((body, i) => new SendMessageBatchRequestEntry
            {
                Id = i.ToString(CultureInfo.InvariantCulture),
                MessageBody = body,
                DelaySeconds = IsFifo(url) ? null : delay,
                MessageGroupId = IsFifo(url) ? _definition.Name : null,
                MessageDeduplicationId = IsFifo(url) && options?.DeduplicationId is { } id ? $"{id}-{i}" : null,
            }).ToList();
            var response = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = url, Entries = entries }, cancellationToken).ConfigureAwait(false);
            if (response.Failed is { Count: > 0 } failed)
            {
                throw new InvalidOperationException(
                    $"SQS refused {failed.Count} of {entries.Count} messages sent to '{_definition.Name}': {string.Join("; ", failed.Select(f => $"{f.Code}: {f.Message}"))}");
            }
        }
    }

    private static bool IsFifo(string url) => url.EndsWith(".fifo", StringComparison.Ordinal);

    private static int? Delay(SendOptions? options)
    {
        if (options?.Delay is not { } delay) return null;
        if (delay < TimeSpan.Zero || delay > TimeSpan.FromMinutes(15))
        {
            throw new ArgumentOutOfRangeException(nameof(options), delay, "A message delay is from zero to 15 minutes, as on every platform Portable supports.");
        }

        return (int)Math.Ceiling(delay.TotalSeconds);
    }

    private Task<string> UrlAsync(CancellationToken cancellationToken)
    {
        if (names.QueueUrl(_definition.Name) is { } configured) return Task.FromResult(configured);
        return _url ??= ResolveAsync(cancellationToken);
    }

    private async Task<string> ResolveAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = _definition.Name }, cancellationToken).ConfigureAwait(false)).QueueUrl;
        }
        catch
        {
            _url = null;
            throw;
        }
    }
}
