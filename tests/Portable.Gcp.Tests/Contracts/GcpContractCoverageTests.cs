using Portable.Contracts;
using Portable.Gcp.Firestore;

namespace Portable.Gcp.Tests.Contracts;

/// <summary>Every repository, queue and notifier in Portable.Gcp has its contract subclass here.</summary>
public sealed class GcpContractCoverageTests
{
    [Fact]
    public void EveryPortImplementation_HasAContractSubclass()
        => Assert.Empty(ContractCoverage.Missing(typeof(FirestoreRepository<>).Assembly, typeof(GcpContractCoverageTests).Assembly));
}
