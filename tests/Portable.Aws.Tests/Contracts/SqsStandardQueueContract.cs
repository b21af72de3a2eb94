using Portable.Aws.Data;
using Portable.Contracts;

namespace Portable.Aws.Tests.Contracts;

/// <summary>The queue contract on an SQS standard queue: delays, no deduplication.</summary>
[ContractFor(typeof(SqsQueue<>))]
public sealed class SqsStandardQueueContract : SqsQueueContract
{
    protected override Dictionary<string, string> QueueAttributes => [];

    [Fact]
    public void Capabilities_AreTheStandardQueues() => Assert.Same(SqsQueue<ContractMessage>.Standard, Capabilities);
}
