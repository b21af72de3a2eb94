using Portable.Aws.Data;
using Portable.Contracts;

namespace Portable.Aws.Tests.Contracts;

/// <summary>The queue contract on an SQS FIFO queue (content-based deduplication on, as sends without an id need): deduplication, no per-message delay.</summary>
[ContractFor(typeof(SqsQueue<>))]
public sealed class SqsFifoQueueContract : SqsQueueContract
{
    protected override string NewQueueName() => ContractApp.UniqueName("q") + ".fifo";

    protected override Dictionary<string, string> QueueAttributes => new() { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" };

    [Fact]
    public void Capabilities_AreTheFifoQueues() => Assert.Same(SqsQueue<ContractMessage>.Fifo, Capabilities);
}
