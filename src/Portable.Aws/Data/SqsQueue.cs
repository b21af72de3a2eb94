using System.Globalization;
using System.Text.Json;
using Portable.Hosting;

namespace Portable.Aws.Data;

/// <summary>
/// <see cref="IQueue{T}"/> on SQS (JSON protocol): one <c>SendMessage</c>, or <c>SendMessageBatch</c> in groups of ten; a delay
/// becomes <c>DelaySeconds</c>. On a FIFO queue (<c>.fifo</c>) the deduplication id becomes <c>MessageDeduplicationId</c> and
/// every message goes to one message group, keeping order; standard queues have no deduplication, so the id is not sent.
/// FIFO queues take no per-message delay (only the queue's <c>DelaySeconds</c> attribute), so a delay sent to one is refused.
/// A send is a producer span (<see cref="PortableTelemetry.StartProducer"/>, ended when SQS answers) and every message carries the
/// sender's trace: the <c>traceparent</c>/<c>tracestate</c> message attributes and the <c>AWSTraceHeader</c> system attribute.
/// </summary>
internal sealed class SqsQueue<T>(FunctionCatalog catalog, AwsConnection aws, AwsResourceNames names) : IQueue<T>
{
    private readonly QueueDefinition<T> _definition = catalog.GetQueue<T>();
    private Task<string>? _url;

    /// <summary>A standard queue: delays, no deduplication.</summary>
    public static QueueCapabilities Standard { get; } = new("an SQS standard queue", DelayedDelivery: true, Deduplication: false);

    /// <summary>A FIFO queue: deduplication, no per-message delay.</summary>
    public static QueueCapabilities Fifo { get; } = new("an SQS FIFO queue", DelayedDelivery: false, Deduplication: true)
    {
        DelayAlternative = "set the queue's DelaySeconds attribute",
    };

    /// <summary>What this queue does with send options, by the configured URL or the queue name.</summary>
    public QueueCapabilities Capabilities => IsFifo(names.QueueUrl(_definition.Name) ?? _definition.Name) ? Fifo : Standard;

    public async Task SendAsync(T message, SendOptions? options, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(message, _definition.TypeInfo);
        var delay = Delay(options);
        if (InvocationOutbox.TryCollect(_definition, [message], options)) return;
        using var producer = PortableTelemetry.StartProducer("send", "aws_sqs", _definition.Name);
        var trace = PortableTelemetry.ContextToSend(producer);
        try
        {
            var url = await UrlAsync(cancellationToken).ConfigureAwait(false);
            using var response = await aws.Sqs.CallAsync("SendMessage", json =>
            {
                json.WriteStartObject();
                json.WriteString("QueueUrl", url);
                WriteEntry(json, url, body, delay, options?.DeduplicationId, trace);
                json.WriteEndObject();
            }, cancellationToken).ConfigureAwait(false);
            if (producer is not null && response.RootElement.TryGetProperty("MessageId", out var id)) producer.SetTag("messaging.message.id", id.GetString());
        }
        catch (Exception e)
        {
            PortableTelemetry.Fail(producer, e);
            throw;
        }
    }

    public async Task SendBatchAsync(IEnumerable<T> messages, SendOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages.ToList();
        var bodies = list.Select(m => JsonSerializer.Serialize(m, _definition.TypeInfo)).ToList();
        var delay = Delay(options);
        if (bodies.Count == 0 || InvocationOutbox.TryCollect(_definition, list, options)) return;
        using var producer = PortableTelemetry.StartProducer("send", "aws_sqs", _definition.Name);
        var trace = PortableTelemetry.ContextToSend(producer);
        try
        {
            await SendChunksAsync(bodies, delay, options, trace, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            PortableTelemetry.Fail(producer, e);
            throw;
        }
    }

    private async Task SendChunksAsync(List<string> bodies, int? delay, SendOptions? options, TraceContext? trace, CancellationToken cancellationToken)
    {
        var url = await UrlAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in bodies.Chunk(10))
        {
            using var response = await aws.Sqs.CallAsync("SendMessageBatch", json =>
            {
                json.WriteStartObject();
                json.WriteString("QueueUrl", url);
                json.WriteStartArray("Entries");
                for (var i = 0; i < chunk.Length; i++)
                {
                    json.WriteStartObject();
                    json.WriteString("Id", i.ToString(CultureInfo.InvariantCulture));
                    WriteEntry(json, url, chunk[i], delay, options?.DeduplicationId is { } id ? $"{id}-{i}" : null, trace);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }, cancellationToken).ConfigureAwait(false);
            if (response.RootElement.TryGetProperty("Failed", out var failed) && failed.GetArrayLength() > 0)
            {
                var reasons = failed.EnumerateArray().Select(f => $"{Text(f, "Code")}: {Text(f, "Message")}");
                throw new AwsServiceException($"SQS refused {failed.GetArrayLength()} of {chunk.Length} messages sent to '{_definition.Name}': {string.Join("; ", reasons)}");
            }
        }
    }

    /// <summary>
    /// One message: its body, FIFO group and deduplication id, delay, and the sender's trace as the <c>traceparent</c> (and
    /// <c>tracestate</c>) message attributes and the <c>AWSTraceHeader</c> system attribute, X-Ray's own form of it.
    /// </summary>
    private void WriteEntry(Utf8JsonWriter json, string url, string body, int? delay, string? deduplicationId, TraceContext? trace)
    {
        json.WriteString("MessageBody", body);
        if (IsFifo(url))
        {
            json.WriteString("MessageGroupId", _definition.Name);
            if (deduplicationId is not null) json.WriteString("MessageDeduplicationId", deduplicationId);
        }

        if (delay is { } seconds) json.WriteNumber("DelaySeconds", seconds);
        if (trace is null) return;
        json.WriteStartObject("MessageAttributes");
        WriteAttribute(json, MessageTrace.TraceParent, trace.TraceParent);
        if (trace.TraceState is { } state) WriteAttribute(json, MessageTrace.TraceState, state);
        json.WriteEndObject();
        json.WriteStartObject("MessageSystemAttributes");
        WriteAttribute(json, MessageTrace.AwsTraceHeader, Runtime.XRayTrace.FromTraceContext(trace));
        json.WriteEndObject();
    }

    private static void WriteAttribute(Utf8JsonWriter json, string name, string value)
    {
        json.WriteStartObject(name);
        json.WriteString("DataType", "String");
        json.WriteString("StringValue", value);
        json.WriteEndObject();
    }

    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.ToString() : null;

    private static bool IsFifo(string url) => url.EndsWith(".fifo", StringComparison.Ordinal);

    private int? Delay(SendOptions? options)
        => PortRules.ValidateSend(options, _definition.Name, Capabilities) is { } delay ? (int)Math.Ceiling(delay.TotalSeconds) : null;

    private Task<string> UrlAsync(CancellationToken cancellationToken)
    {
        if (names.QueueUrl(_definition.Name) is { } configured) return Task.FromResult(configured);
        return _url ??= ResolveAsync(cancellationToken);
    }

    private async Task<string> ResolveAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await aws.Sqs.CallAsync("GetQueueUrl", json =>
            {
                json.WriteStartObject();
                json.WriteString("QueueName", _definition.Name);
                json.WriteEndObject();
            }, cancellationToken).ConfigureAwait(false);
            return response.RootElement.GetProperty("QueueUrl").GetString()!;
        }
        catch
        {
            _url = null;
            throw;
        }
    }
}
