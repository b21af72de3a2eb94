using Portable.Azure.Data;
using Portable.Contracts;

namespace Portable.Azure.Tests.Contracts;

/// <summary>Every repository, queue and notifier in Portable.Azure has its contract subclass here.</summary>
public sealed class AzureContractCoverageTests
{
    [Fact]
    public void EveryPortImplementation_HasAContractSubclass()
        => Assert.Empty(ContractCoverage.Missing(typeof(TableRepository<>).Assembly, typeof(AzureContractCoverageTests).Assembly));
}
