using Portable.Contracts;
using Portable.Local.Storage;

namespace Portable.Local.Tests.Contracts;

/// <summary>The coverage check itself: against an assembly without contract subclasses it names every implementation.</summary>
public sealed class ContractCoverageCheckTests
{
    [Fact]
    public void Missing_WithoutSubclasses_NamesEveryRepositoryQueueAndNotifier()
    {
        var missing = ContractCoverage.Missing(typeof(SqliteRepository<>).Assembly, typeof(ContractApp).Assembly);

        Assert.Equal(3, missing.Count);
        Assert.Contains(missing, m => m.Contains("SqliteRepository", StringComparison.Ordinal) && m.Contains("RepositoryContract", StringComparison.Ordinal));
        Assert.Contains(missing, m => m.Contains("LocalQueue", StringComparison.Ordinal) && m.Contains("QueueContract", StringComparison.Ordinal));
        Assert.Contains(missing, m => m.Contains("LocalNotifier", StringComparison.Ordinal) && m.Contains("NotifierContract", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_ForNetworkStores_AlsoNamesTheRetryContractOfEveryRepository()
    {
        var missing = ContractCoverage.Missing(typeof(SqliteRepository<>).Assembly, typeof(ContractApp).Assembly, networkStores: true);

        Assert.Equal(4, missing.Count);
        Assert.Contains(missing, m => m.Contains("SqliteRepository", StringComparison.Ordinal) && m.Contains("RepositoryRetryContract", StringComparison.Ordinal));
    }
}
