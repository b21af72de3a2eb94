using System.Reflection;
using Portable.Contracts;
using Portable.Gcp.Firestore;

namespace Portable.Gcp.Tests.Contracts;

/// <summary>Every repository, queue and notifier in Portable.Gcp has its contract subclass here.</summary>
public sealed class GcpContractCoverageTests : ContractCoverageTest
{
    protected override Assembly Adapter => typeof(FirestoreRepository<>).Assembly;
}
