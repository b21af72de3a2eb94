using System.Reflection;
using Portable.Contracts;
using Portable.Azure.Data;

namespace Portable.Azure.Tests.Contracts;

/// <summary>Every repository, queue and notifier in Portable.Azure has its contract subclass here.</summary>
public sealed class AzureContractCoverageTests : ContractCoverageTest
{
    protected override Assembly Adapter => typeof(TableRepository<>).Assembly;
}
