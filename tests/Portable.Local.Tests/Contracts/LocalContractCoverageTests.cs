using System.Reflection;
using Portable.Contracts;
using Portable.Local.Storage;

namespace Portable.Local.Tests.Contracts;

/// <summary>Every repository, queue and notifier in Portable.Local has its contract subclass here.</summary>
public sealed class LocalContractCoverageTests : ContractCoverageTest
{
    protected override Assembly Adapter => typeof(SqliteRepository<>).Assembly;
}
