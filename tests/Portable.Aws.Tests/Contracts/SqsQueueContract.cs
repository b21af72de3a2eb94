using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Data;
using Portable.Aws.Tests.Fixtures;
using Portable.Contracts;
using Portable.Hosting;

namespace Portable.Aws.Tests.Contracts;

/// <summary>
/// The queue contract on <see cref="SqsQueue{T}"/> against fauxqs, read back with the AWS SDK's SQS client; the standard and the
/// FIFO subclasses each create their kind of queue.
/// </summary>
public abstract class SqsQueueContract : QueueContract
{
    private ServiceProvider? _services;
    private SqsQueue<ContractMessage>? _queue;
    private string _url = "";

    protected override QueueCapabilities Capabilities => _queue!.Capabilities;

    /// <summary>The attributes the queue is created with.</summary>
    protected abstract Dictionary<string, string> QueueAttributes { get; }

    protected override async Task<IQueue<ContractMessage>> CreateQueueAsync(PortableApp app, string name)
    {
        _services = AwsEmulators.Services(app);
        _url = await AwsEmulators.CreateQueueAsync(AwsEmulators.Sqs, name, QueueAttributes);
        _queue = Assert.IsType<SqsQueue<ContractMessage>>(_services.GetRequiredService<IQueue<ContractMessage>>());
        return _queue;
    }

    protected override async Task<IReadOnlyList<ContractMessage>> ReceiveAsync()
    {
        var received = new List<ContractMessage>();
        foreach (var message in await AwsEmulators.ReceiveAsync(AwsEmulators.Sqs, _url, waitSeconds: 1))
        {
            received.Add(JsonSerializer.Deserialize(message.Body, ContractJson.Default.ContractMessage)!);
            await AwsEmulators.Sqs.DeleteMessageAsync(_url, message.ReceiptHandle);
        }

        return received;
    }

    protected override async Task DeleteQueueAsync()
    {
        if (_url.Length > 0) await AwsEmulators.Sqs.DeleteQueueAsync(_url);
        if (_services is not null) await _services.DisposeAsync();
    }
}
