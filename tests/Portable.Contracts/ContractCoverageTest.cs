using System.Reflection;

namespace Portable.Contracts;

/// <summary>
/// Fails when an adapter has a repository, queue or notifier without a contract subclass in its test project
/// (<see cref="ContractCoverage"/>), so each contract's list of implementations is the full list. Subclass it once in each
/// adapter's test project.
/// </summary>
public abstract class ContractCoverageTest
{
    /// <summary>The adapter assembly whose implementations must be covered.</summary>
    protected abstract Assembly Adapter { get; }

    /// <summary>
    /// Whether the adapter's repositories talk to their store over the network, so each needs a <see cref="RepositoryRetryContract"/>
    /// subclass too: true by default (the AWS, Azure and GCP adapters); the local adapter, whose store is in-process, says false.
    /// </summary>
    protected virtual bool NetworkStores => true;

    /// <summary>Every port implementation in <see cref="Adapter"/> has a contract subclass in this test assembly.</summary>
    [Fact]
    public void EveryPortImplementation_HasAContractSubclass() => Assert.Empty(ContractCoverage.Missing(Adapter, GetType().Assembly, NetworkStores));
}
