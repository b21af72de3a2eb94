using System.Reflection;
using Portable.Contracts;
using Portable.Aws.Data;

namespace Portable.Aws.Tests.Contracts;

/// <summary>Every repository, queue and notifier in Portable.Aws has its contract subclass here.</summary>
public sealed class AwsContractCoverageTests : ContractCoverageTest
{
    protected override Assembly Adapter => typeof(DynamoDbRepository<>).Assembly;
}
