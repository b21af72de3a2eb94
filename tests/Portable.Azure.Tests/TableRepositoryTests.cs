using Portable.Azure.Data;

namespace Portable.Azure.Tests;

/// <summary><see cref="TableRepository{T}"/> against the real Azurite.</summary>
public sealed class TableRepositoryTests
{
    private readonly string _table = Azurite.UniqueName("counters");

    private TableRepository<Counter> Repository()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AddJson(TestJson.Default);
        builder.Resources.AddRepository<Counter>(_table);
        return new TableRepository<Counter>(builder.Build().Catalog, Azurite.Clients());
    }

    [Fact]
    public async Task Put_ThenGet_ReturnsTheDocumentWithAVersionOfCounterTokenAndETag()
    {
        var repository = Repository();
        var version = await repository.PutAsync("c-1", new Counter(1), ExpectedVersion.None, default);

        var stored = await repository.GetAsync("c-1", default);
        Assert.NotNull(stored);
        Assert.Equal(new Counter(1), stored.Value);
        Assert.Equal(version, stored.Version);
        Assert.StartsWith("1.", version, StringComparison.Ordinal);
        Assert.Contains(".W/\"datetime", version, StringComparison.Ordinal);
        Assert.Null(await repository.GetAsync("c-missing", default));
    }

    [Fact]
    public async Task CreateTwice_TheSecondIsAConflict()
    {
        var repository = Repository();
        await repository.PutAsync("c-1", new Counter(1), ExpectedVersion.None, default);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.PutAsync("c-1", new Counter(2), ExpectedVersion.None, default));
        Assert.Equal("c-1", conflict.Id);
        Assert.Equal(new Counter(1), (await repository.GetAsync("c-1", default))!.Value);
    }

    [Fact]
    public async Task TwoWritersOfTheSameVersion_OneWinsAndOneConflicts()
    {
        var repository = Repository();
        var version = await repository.PutAsync("c-1", new Counter(0), ExpectedVersion.None, default);

        var first = repository.PutAsync("c-1", new Counter(10), ExpectedVersion.Exactly(version), default);
        var second = repository.PutAsync("c-1", new Counter(20), ExpectedVersion.Exactly(version), default);
        var outcomes = await Task.WhenAll(Outcome(first), Outcome(second));

        Assert.Single(outcomes, o => o is null);
        Assert.Single(outcomes, o => o is ConcurrencyConflictException);
        var winner = outcomes[0] is null ? 10 : 20;
        Assert.Equal(winner, (await repository.GetAsync("c-1", default))!.Value.Value);
    }

    [Fact]
    public async Task ConcurrentIncrements_WithReadAndRetry_LoseNoUpdate()
    {
        var repository = Repository();
        await repository.PutAsync("c-1", new Counter(0), ExpectedVersion.None, default);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var stored = (await repository.GetAsync("c-1", default))!;
                try
                {
                    await repository.PutAsync("c-1", new Counter(stored.Value.Value + 1), ExpectedVersion.Exactly(stored.Version), default);
                    return;
                }
                catch (ConcurrencyConflictException)
                {
                    // Another writer got there first: read again and retry.
                }
            }
        })));

        Assert.Equal(8, (await repository.GetAsync("c-1", default))!.Value.Value);
    }

    [Fact]
    public async Task StaleVersion_IsAConflict_ForUpdateAndDelete()
    {
        var repository = Repository();
        var first = await repository.PutAsync("c-1", new Counter(1), ExpectedVersion.None, default);
        var second = await repository.PutAsync("c-1", new Counter(2), ExpectedVersion.Exactly(first), default);

        Assert.NotEqual(first, second);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.PutAsync("c-1", new Counter(3), ExpectedVersion.Exactly(first), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.DeleteAsync("c-1", ExpectedVersion.Exactly(first), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.DeleteAsync("c-1", ExpectedVersion.None, default));
        Assert.True(await repository.DeleteAsync("c-1", ExpectedVersion.Exactly(second), default));
        Assert.Null(await repository.GetAsync("c-1", default));
    }

    [Fact]
    public async Task UpdateOrDeleteOfAMissingDocument_ExpectingAVersion_IsAConflict_AndAnyDeleteSaysFalse()
    {
        var repository = Repository();

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.PutAsync("gone", new Counter(1), ExpectedVersion.Exactly("W/\"datetime'2020-01-01T00%3A00%3A00Z'\""), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.DeleteAsync("gone", ExpectedVersion.Exactly("W/\"datetime'2020-01-01T00%3A00%3A00Z'\""), default));
        Assert.False(await repository.DeleteAsync("gone", ExpectedVersion.Any, default));
        Assert.False(await repository.DeleteAsync("gone", ExpectedVersion.None, default));
    }

    [Fact]
    public async Task AnyVersion_Upserts()
    {
        var repository = Repository();
        await repository.PutAsync("c-1", new Counter(1), ExpectedVersion.Any, default);
        await repository.PutAsync("c-1", new Counter(2), ExpectedVersion.Any, default);

        Assert.Equal(2, (await repository.GetAsync("c-1", default))!.Value.Value);
    }

    [Fact]
    public async Task Query_ReadsEveryDocumentInIdOrder_APageAtATime()
    {
        var repository = Repository();
        var ids = new[] { "e", "a/1", "c", "b#2", "d?x", "f%", "g" };
        foreach (var id in ids) await repository.PutAsync(id, new Counter(id.Length), ExpectedVersion.None, default);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await repository.QueryAsync(new PageRequest(3, token), default);
            Assert.True(page.Items.Count <= 3);
            seen.AddRange(page.Items.Select(i => i.Id));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 20);

        var inKeyOrder = ids.Select(TableKey.Encode).OrderBy(k => k.PartitionKey, StringComparer.Ordinal).ThenBy(k => k.RowKey, StringComparer.Ordinal);
        Assert.Equal(inKeyOrder.Select(k => TableKey.Decode(k.PartitionKey, k.RowKey)), seen);
        Assert.True(pages >= 3, $"{pages} pages");
    }

    [Fact]
    public async Task LargeDocument_IsSplitAcrossProperties_AndReadBackWhole()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AddJson(TestJson.Default);
        builder.Resources.AddRepository<Echo>(_table);
        var repository = new TableRepository<Echo>(builder.Build().Catalog, Azurite.Clients());
        var text = string.Concat(Enumerable.Range(0, 9000).Select(i => (char)('a' + (i % 26)))) + new string('z', 70_000);

        await repository.PutAsync("big", new Echo(text), ExpectedVersion.None, default);

        Assert.Equal(text, (await repository.GetAsync("big", default))!.Value.Text);
    }

    [Theory]
    [InlineData("orders", "orders")]
    [InlineData("order-items", "orderitems")]
    [InlineData("1x", "t1x")]
    [InlineData("a", "a00")]
    public void RepositoryName_BecomesAValidTableName(string repository, string table) => Assert.Equal(table, TableRepository<Counter>.TableName(repository));

    private static async Task<Exception?> Outcome(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
