using Portable.Aws.Data;
using Portable.Contracts;

namespace Portable.Aws.Tests.Contracts;

/// <summary>Every repository, queue and notifier in Portable.Aws has its contract subclass here.</summary>
public sealed class AwsContractCoverageTests
{
    [Fact]
    public void EveryPortImplementation_HasAContractSubclass()
        => Assert.Empty(ContractCoverage.Missing(typeof(DynamoDbRepository<>).Assembly, typeof(AwsContractCoverageTests).Assembly));
}
