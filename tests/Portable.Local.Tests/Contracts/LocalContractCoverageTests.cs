using System.Reflection;
using Portable.Contracts;
using Portable.Local.Storage;

namespace Portable.Local.Tests.Contracts;

/// <summary>Every repository, queue and notifier in Portable.Local has its contract subclass here.</summary>
public sealed class LocalContractCoverageTests : ContractCoverageTest
{
    protected override Assembly Adapter => typeof(SqliteRepository<>).Assembly;

    /// <summary>The local store is in-process: no network, no retries, so no <see cref="RepositoryRetryContract"/>.</summary>
    protected override bool NetworkStores => false;
}
