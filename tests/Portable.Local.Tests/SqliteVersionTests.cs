using Microsoft.Data.Sqlite;
using Portable.Contracts;
using Portable.Local.Storage;

namespace Portable.Local.Tests;

/// <summary>Local versions are never reused: not after a restart of a file store, and not for documents written by an older database.</summary>
public sealed class SqliteVersionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("portable-versions-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AfterARestart_ADeletedAndRecreatedDocument_GetsANewVersion_AndTheOldOneConflicts()
    {
        string first;
        using (var store = new LocalStore(new LocalOptions { DataDirectory = _folder }))
        {
            var repository = Repository(store);
            first = await repository.PutAsync("doc", new ContractDocument("A", 1), ExpectedVersion.None, default);
            Assert.True(await repository.DeleteAsync("doc", ExpectedVersion.Exactly(first), default));
        }

        using (var store = new LocalStore(new LocalOptions { DataDirectory = _folder }))
        {
            var repository = Repository(store);
            var second = await repository.PutAsync("doc", new ContractDocument("B", 1), ExpectedVersion.None, default);

            Assert.NotEqual(first, second);
            Assert.True(Sequence(second) > Sequence(first));
            await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.PutAsync("doc", new ContractDocument("C", 1), ExpectedVersion.Exactly(first), default));
            Assert.Equal("B", (await repository.GetAsync("doc", default))!.Value.Name);
        }
    }

    [Fact]
    public async Task ADatabaseFromBeforeTokens_IsMigrated_ItsDocumentsReadBack_AndTheirOldNumbersConflict()
    {
        var file = Path.Combine(_folder, "portable.db");
        using (var old = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE documents (collection TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
                    updated_at INTEGER NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID;
                INSERT INTO documents VALUES ('docs', 'kept', 7, '{"name":"kept","count":7}', 0);
                """;
            command.ExecuteNonQuery();
        }

        using var store = new LocalStore(new LocalOptions { DataDirectory = _folder });
        var repository = Repository(store);
        var kept = (await repository.GetAsync("kept", default))!;

        Assert.Equal(new ContractDocument("kept", 7), kept.Value);
        Assert.NotEqual("7", kept.Version);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.PutAsync("kept", new ContractDocument("stale", 0), ExpectedVersion.Exactly("7"), default));
        var updated = await repository.PutAsync("kept", new ContractDocument("kept", 8), ExpectedVersion.Exactly(kept.Version), default);
        Assert.True(Sequence(updated) > 7);
    }

    private static SqliteRepository<ContractDocument> Repository(LocalStore store)
        => new(ContractApp.Build(repository: "docs").Catalog, store, TimeProvider.System);

    private static long Sequence(string version) => long.Parse(version.AsSpan(0, version.IndexOf('.', StringComparison.Ordinal)), provider: System.Globalization.CultureInfo.InvariantCulture);
}
