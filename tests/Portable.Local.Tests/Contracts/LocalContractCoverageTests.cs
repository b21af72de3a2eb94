using Portable.Contracts;
using Portable.Local.Storage;

namespace Portable.Local.Tests.Contracts;

/// <summary>Every repository, queue and notifier in Portable.Local has its contract subclass here.</summary>
public sealed class LocalContractCoverageTests
{
    [Fact]
    public void EveryPortImplementation_HasAContractSubclass()
        => Assert.Empty(ContractCoverage.Missing(typeof(SqliteRepository<>).Assembly, typeof(LocalContractCoverageTests).Assembly));
}
