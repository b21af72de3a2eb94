using Portable.Hosting;

namespace Portable.Contracts;

/// <summary>
/// What every <see cref="IRepository{T}"/> implementation does, whatever the store: create / update / delete under
/// <see cref="ExpectedVersion"/>, conflicts, paging, the shared id rules (<see cref="PortRules"/>), and concurrent writers.
/// Subclass it once for each implementation.
/// </summary>
public abstract class RepositoryContract : IAsyncLifetime
{
    private IRepository<ContractDocument>? _repository;

    /// <summary>The collection this test works on, fresh for each test.</summary>
    protected string Collection { get; } = ContractApp.UniqueName("docs");

    /// <summary>The repository under test.</summary>
    protected IRepository<ContractDocument> Repository => _repository ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>Creates the implementation over an empty collection named <paramref name="collection"/>, declared in <paramref name="app"/>.</summary>
    /// <param name="app">An app declaring the repository (see <see cref="ContractApp.Build"/>).</param>
    /// <param name="collection">The collection (table) name.</param>
    /// <returns>The repository.</returns>
    protected abstract Task<IRepository<ContractDocument>> CreateRepositoryAsync(PortableApp app, string collection);

    /// <summary>Releases what <see cref="CreateRepositoryAsync"/> made; nothing by default.</summary>
    /// <returns>A task that completes when it is released.</returns>
    protected virtual Task DeleteRepositoryAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync() => _repository = await CreateRepositoryAsync(ContractApp.Build(repository: Collection), Collection);

    /// <inheritdoc />
    public Task DisposeAsync() => DeleteRepositoryAsync();

    /// <summary>The id of a document that is not there reads as null.</summary>
    [Fact]
    public async Task Get_Missing_ReturnsNull() => Assert.Null(await Repository.GetAsync("missing", default));

    /// <summary>A create stores the document, and a read returns it with the version the write returned.</summary>
    [Fact]
    public async Task Put_WithNone_CreatesTheDocument_AndGetReturnsItAtTheReturnedVersion()
    {
        var version = await Repository.PutAsync("a", new ContractDocument("alpha", 1), ExpectedVersion.None, default);

        Assert.False(string.IsNullOrEmpty(version));
        Assert.Equal(new Stored<ContractDocument>("a", new ContractDocument("alpha", 1), version), await Repository.GetAsync("a", default));
    }

    /// <summary>A create of an id that exists is a conflict and leaves the stored document alone.</summary>
    [Fact]
    public async Task Put_WithNone_WhenTheIdExists_ThrowsConcurrencyConflict()
    {
        await Repository.PutAsync("a", new ContractDocument("alpha", 1), ExpectedVersion.None, default);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.PutAsync("a", new ContractDocument("beta", 2), ExpectedVersion.None, default));
        Assert.Equal("a", conflict.Id);
        Assert.Equal("alpha", (await Repository.GetAsync("a", default))!.Value.Name);
    }

    /// <summary>An unconditional write creates, then overwrites, each time with a new version.</summary>
    [Fact]
    public async Task Put_WithAny_CreatesThenOverwrites_WithANewVersionEachTime()
    {
        var first = await Repository.PutAsync("a", new ContractDocument("alpha", 1), ExpectedVersion.Any, default);
        var second = await Repository.PutAsync("a", new ContractDocument("beta", 2), ExpectedVersion.Any, default);

        Assert.NotEqual(first, second);
        Assert.Equal(new Stored<ContractDocument>("a", new ContractDocument("beta", 2), second), await Repository.GetAsync("a", default));
    }

    /// <summary>A write at the current version succeeds and returns a new version.</summary>
    [Fact]
    public async Task Put_WithTheCurrentVersion_Updates()
    {
        var created = await Repository.PutAsync("a", new ContractDocument("alpha", 1), ExpectedVersion.None, default);
        var updated = await Repository.PutAsync("a", new ContractDocument("alpha", 2), ExpectedVersion.Exactly(created), default);

        Assert.NotEqual(created, updated);
        Assert.Equal(new Stored<ContractDocument>("a", new ContractDocument("alpha", 2), updated), await Repository.GetAsync("a", default));
    }

    /// <summary>A write at a version that is no longer current is a conflict naming the document, and the newer write is kept.</summary>
    [Fact]
    public async Task Put_WithStaleVersion_ThrowsConcurrencyConflict()
    {
        var created = await Repository.PutAsync("a", new ContractDocument("alpha", 1), ExpectedVersion.None, default);
        var current = await Repository.PutAsync("a", new ContractDocument("alpha", 2), ExpectedVersion.Exactly(created), default);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.PutAsync("a", new ContractDocument("stale", 3), ExpectedVersion.Exactly(created), default));
        Assert.Equal("a", conflict.Id);
        Assert.Equal(new Stored<ContractDocument>("a", new ContractDocument("alpha", 2), current), await Repository.GetAsync("a", default));
    }

    /// <summary>An update of a document that is not there is a conflict, not a create.</summary>
    [Fact]
    public async Task Put_WithAVersion_WhenMissing_ThrowsConcurrencyConflict()
    {
        var version = await Repository.PutAsync("a", new ContractDocument("alpha", 1), ExpectedVersion.None, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.PutAsync("b", new ContractDocument("beta", 1), ExpectedVersion.Exactly(version), default));
        Assert.Null(await Repository.GetAsync("b", default));
    }

    /// <summary>A delete at the current version removes the document; another delete finds nothing.</summary>
    [Fact]
    public async Task Delete_WithTheCurrentVersion_Deletes_ThenFindsNothing()
    {
        var version = await Repository.PutAsync("a", new ContractDocument("alpha", 1), ExpectedVersion.None, default);

        Assert.True(await Repository.DeleteAsync("a", ExpectedVersion.Exactly(version), default));
        Assert.Null(await Repository.GetAsync("a", default));
        Assert.False(await Repository.DeleteAsync("a", ExpectedVersion.Any, default));
    }

    /// <summary>A delete at a stale version is a conflict and keeps the document.</summary>
    [Fact]
    public async Task Delete_WithStaleVersion_ThrowsConcurrencyConflict_AndKeepsTheDocument()
    {
        var created = await Repository.PutAsync("a", new ContractDocument("alpha", 1), ExpectedVersion.None, default);
        await Repository.PutAsync("a", new ContractDocument("alpha", 2), ExpectedVersion.Any, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.DeleteAsync("a", ExpectedVersion.Exactly(created), default));
        Assert.Equal(2, (await Repository.GetAsync("a", default))!.Value.Count);
    }

    /// <summary>An unconditional delete of a missing document returns false.</summary>
    [Fact]
    public async Task Delete_Missing_ReturnsFalse() => Assert.False(await Repository.DeleteAsync("missing", ExpectedVersion.Any, default));

    /// <summary>Reading page by page sees every id exactly once, in id order, and no page is larger than asked.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task Query_PageByPage_SeesEveryIdExactlyOnce_InIdOrder(int pageSize)
    {
        var ids = Enumerable.Range(0, 23).Select(i => $"id-{i:D2}").ToList();
        foreach (var id in ids.AsEnumerable().Reverse()) await Repository.PutAsync(id, new ContractDocument(id, 0), ExpectedVersion.None, default);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Repository.QueryAsync(new PageRequest(pageSize, token), default);
            Assert.InRange(page.Items.Count, 0, pageSize);
            Assert.All(page.Items, item => Assert.Equal(item.Id, item.Value.Name));
            seen.AddRange(page.Items.Select(i => i.Id));
            token = page.ContinuationToken;
            Assert.True(++pages <= ids.Count + 1, "The query does not end.");
        }
        while (token is not null);

        Assert.Equal(ids, seen);
    }

    /// <summary>An empty collection answers one empty page and no continuation token.</summary>
    [Fact]
    public async Task Query_Empty_ReturnsNoItemsAndNoToken()
    {
        var page = await Repository.QueryAsync(new PageRequest(10), default);

        Assert.Empty(page.Items);
        Assert.Null(page.ContinuationToken);
    }

    /// <summary>A page size is from 1 to 1000 on every store.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void PageRequest_OutsideOneTo1000_ThrowsArgumentOutOfRange(int pageSize)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new PageRequest(pageSize));

    /// <summary>An empty id is refused by every operation, before the store is called.</summary>
    [Fact]
    public async Task EveryOperation_WithAnEmptyOrNullId_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Repository.GetAsync("", default));
        await Assert.ThrowsAsync<ArgumentException>(() => Repository.PutAsync("", new ContractDocument("x", 0), ExpectedVersion.Any, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Repository.DeleteAsync("", ExpectedVersion.Any, default));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Repository.GetAsync(null!, default));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Repository.PutAsync(null!, new ContractDocument("x", 0), ExpectedVersion.Any, default));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Repository.DeleteAsync(null!, ExpectedVersion.Any, default));
    }

    /// <summary>The ids <see cref="PortRules.ValidateDocumentId"/> accepts round-trip on every store.</summary>
    [Theory]
    [InlineData("plain")]
    [InlineData("with space")]
    [InlineData("dots.and-dashes_and~tildes")]
    [InlineData("ünïcödé-ключ-鍵")]
    [InlineData("percent%20and+plus")]
    public async Task Put_WithAnAcceptedId_RoundTrips(string id)
    {
        PortRules.ValidateDocumentId(id);
        var version = await Repository.PutAsync(id, new ContractDocument(id, 1), ExpectedVersion.None, default);

        Assert.Equal(new Stored<ContractDocument>(id, new ContractDocument(id, 1), version), await Repository.GetAsync(id, default));
        Assert.Contains(id, (await Repository.QueryAsync(new PageRequest(10), default)).Items.Select(i => i.Id));
        Assert.True(await Repository.DeleteAsync(id, ExpectedVersion.Exactly(version), default));
    }

    /// <summary>Eight writers incrementing one document, each re-reading and retrying on a conflict, lose no increment.</summary>
    [Fact]
    public async Task ConcurrentIncrements_WithRetryOnConflict_EndAtExactlyTheRightCount()
    {
        const int writers = 8, increments = 5;
        await Repository.PutAsync("counter", new ContractDocument("counter", 0), ExpectedVersion.None, default);

        async Task IncrementAsync()
        {
            for (var i = 0; i < increments; i++)
            {
                while (true)
                {
                    var current = (await Repository.GetAsync("counter", default))!;
                    try
                    {
                        await Repository.PutAsync("counter", current.Value with { Count = current.Value.Count + 1 }, ExpectedVersion.Exactly(current.Version), default);
                        break;
                    }
                    catch (ConcurrencyConflictException)
                    {
                        // Another writer won: read again.
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(IncrementAsync)));
        Assert.Equal(writers * increments, (await Repository.GetAsync("counter", default))!.Value.Count);
    }

    /// <summary>Eight writers creating the same id at once: exactly one wins, the others conflict, and the winner's document is stored.</summary>
    [Fact]
    public async Task ConcurrentCreates_OfOneId_HaveExactlyOneWinner()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            try
            {
                return (Writer: n, Version: await Repository.PutAsync("race", new ContractDocument("race", n), ExpectedVersion.None, default));
            }
            catch (ConcurrencyConflictException)
            {
                return (Writer: n, Version: (string?)null);
            }
        })));

        var winner = Assert.Single(results, r => r.Version is not null);
        Assert.Equal(new Stored<ContractDocument>("race", new ContractDocument("race", winner.Writer), winner.Version!), await Repository.GetAsync("race", default));
    }
}
