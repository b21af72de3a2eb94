using System.Text.Json;
using Portable.Hosting;

namespace Portable.Contracts;

/// <summary>
/// What every <see cref="IRepository{T}"/> implementation does, whatever the store: create / update / delete under
/// <see cref="ExpectedVersion"/>, conflicts (stale, foreign and malformed versions, across delete and re-create), paging, the
/// shared id and size rules (<see cref="PortRules"/>), and concurrent writers. Subclass it once for each implementation; network
/// stores also subclass <see cref="RepositoryRetryContract"/>.
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

    /// <summary>Whether the store pages in id order (ordinal); DynamoDB, which scans by partition, says false.</summary>
    protected virtual bool OrdersById => true;

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

    /// <summary>Reading page by page sees every id exactly once (in id order where <see cref="OrdersById"/>), and no page is larger than asked.</summary>
    /// <param name="pageSize">The page size asked for.</param>
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task Query_PageByPage_SeesEveryIdExactlyOnce(int pageSize)
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

        Assert.Equal(ids, OrdersById ? seen : seen.Order(StringComparer.Ordinal).ToList());
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
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.GetAsync("", default));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.PutAsync("", new ContractDocument("x", 0), ExpectedVersion.Any, default));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.DeleteAsync("", ExpectedVersion.Any, default));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Repository.GetAsync(null!, default));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Repository.PutAsync(null!, new ContractDocument("x", 0), ExpectedVersion.Any, default));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Repository.DeleteAsync(null!, ExpectedVersion.Any, default));
    }

    /// <summary>Ids the rule accepts, by a name that says what each one tests: every store must round-trip them exactly.</summary>
    public static IReadOnlyDictionary<string, string> AcceptedIds { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ascii"] = "plain-id_0123",
        ["spaces"] = " with  spaces ",
        ["slash"] = "a/b/c",
        ["backslash"] = @"a\b",
        ["hash"] = "a#b",
        ["question mark"] = "a?b=c",
        ["percent"] = "100%25 %",
        ["dot"] = ".",
        ["dot dot"] = "..",
        ["reserved-looking"] = "__x__",
        ["punctuation"] = "'\"*:<>|&+,;=@!$()[]{}~`^",
        ["emoji"] = "emoji-\U0001F600\U0001F44D\U0001F3FD",
        ["cjk"] = "鍵-キー-열쇠",
        ["combining marks"] = "e\u0301a\u0308",
        ["right-to-left"] = "שלום-مرحبا",
        ["no-break space"] = "a\u00A0b",
        ["byte order mark"] = "\uFEFFa",
        ["replacement character"] = "a\uFFFD",
        ["noncharacter"] = "a\uFFFF",
        ["256 ascii bytes"] = new string('a', PortRules.MaxDocumentIdBytes),
        ["256 bytes of slashes"] = new string('/', PortRules.MaxDocumentIdBytes),
        ["256 bytes of percent signs"] = new string('%', PortRules.MaxDocumentIdBytes),
        ["256 bytes of mixed escapes"] = string.Concat(Enumerable.Repeat(@"/\#?", PortRules.MaxDocumentIdBytes / 4)),
        ["256 bytes of 2-byte letters"] = new string('é', PortRules.MaxDocumentIdBytes / 2),
        ["256 bytes of 3-byte letters"] = new string('鍵', PortRules.MaxDocumentIdBytes / 3) + "a",
        ["256 bytes of emoji"] = string.Concat(Enumerable.Repeat("\U0001F600", PortRules.MaxDocumentIdBytes / 4)),
    };

    /// <summary>Ids the rule refuses, by a name that says what each one tests: every store must refuse them with the rule's message.</summary>
    public static IReadOnlyDictionary<string, string> RefusedIds { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["empty"] = "",
        ["lone high surrogate"] = "a\uD800b",
        ["lone low surrogate"] = "a\uDC00",
        ["swapped surrogates"] = "\uDE00\uD83D",
        ["NUL"] = "a\u0000",
        ["U+001F"] = "\u001F",
        ["tab"] = "a\tb",
        ["newline"] = "a\n",
        ["DEL"] = "a\u007F",
        ["U+0085"] = "n\u0085",
        ["U+009F"] = "\u009F",
        ["257 ascii bytes"] = new string('a', PortRules.MaxDocumentIdBytes + 1),
        ["258 bytes in 129 letters"] = new string('é', (PortRules.MaxDocumentIdBytes / 2) + 1),
        ["1,100 characters"] = new string('x', 1100),
    };

    /// <summary>The names of <see cref="AcceptedIds"/>, as theory data.</summary>
    public static TheoryData<string> AcceptedIdNames => [.. AcceptedIds.Keys];

    /// <summary>The names of <see cref="RefusedIds"/>, as theory data.</summary>
    public static TheoryData<string> RefusedIdNames => [.. RefusedIds.Keys];

    /// <summary>Versions no store issues: a write or delete expecting one is a conflict, never a store error.</summary>
    public static TheoryData<string> ForeignVersions =>
    [
        "garbage", "1", "0", "-1", "2", "1.", ".1", "1..", "0.AAAAAAAAAAAAAAAA", "\"quoted\"", "W/\"1\"", "*", "1*", "a b", "%", "/", "\\", "1.2.3.4",
        new string('9', 40), new string('x', 5000), "é鍵\U0001F600",
    ];

    /// <summary>Each accepted id round-trips exactly through put, get, query and delete.</summary>
    /// <param name="name">The name of the id in <see cref="AcceptedIds"/>.</param>
    [Theory]
    [MemberData(nameof(AcceptedIdNames))]
    public async Task AnAcceptedId_RoundTripsThroughPutGetQueryAndDelete(string name)
    {
        var id = AcceptedIds[name];
        PortRules.ValidateDocumentId(id);
        var version = await Repository.PutAsync(id, new ContractDocument(id, 1), ExpectedVersion.None, default);

        Assert.Equal(new Stored<ContractDocument>(id, new ContractDocument(id, 1), version), await Repository.GetAsync(id, default));
        var listed = Assert.Single((await Repository.QueryAsync(new PageRequest(10), default)).Items);
        Assert.Equal(new Stored<ContractDocument>(id, new ContractDocument(id, 1), version), listed);
        var updated = await Repository.PutAsync(id, new ContractDocument(id, 2), ExpectedVersion.Exactly(version), default);
        Assert.True(await Repository.DeleteAsync(id, ExpectedVersion.Exactly(updated), default));
        Assert.Null(await Repository.GetAsync(id, default));
    }

    /// <summary>All accepted ids live side by side in one collection without colliding: each reads back as itself, and paging lists each once.</summary>
    [Fact]
    public async Task TheAcceptedIds_InOneCollection_AreAllDistinct()
    {
        foreach (var id in AcceptedIds.Values) await Repository.PutAsync(id, new ContractDocument(id, 0), ExpectedVersion.None, default);

        foreach (var id in AcceptedIds.Values) Assert.Equal(id, (await Repository.GetAsync(id, default))!.Value.Name);
        var listed = new List<Stored<ContractDocument>>();
        string? token = null;
        do
        {
            var page = await Repository.QueryAsync(new PageRequest(7, token), default);
            listed.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null && listed.Count <= AcceptedIds.Count);

        Assert.All(listed, item => Assert.Equal(item.Id, item.Value.Name));
        Assert.Equal(AcceptedIds.Values.Order(StringComparer.Ordinal), listed.Select(i => i.Id).Order(StringComparer.Ordinal));
    }

    /// <summary>Each refused id is refused by get, put and delete with the rule's own message, and nothing is stored.</summary>
    /// <param name="name">The name of the id in <see cref="RefusedIds"/>.</param>
    [Theory]
    [MemberData(nameof(RefusedIdNames))]
    public async Task ARefusedId_IsRefusedByEveryOperation_WithTheRulesMessage(string name)
    {
        var id = RefusedIds[name];
        var rule = Assert.ThrowsAny<ArgumentException>(() => PortRules.ValidateDocumentId(id));

        Assert.Equal(rule.Message, (await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.GetAsync(id, default))).Message);
        Assert.Equal(rule.Message, (await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.PutAsync(id, new ContractDocument("x", 0), ExpectedVersion.Any, default))).Message);
        Assert.Equal(rule.Message, (await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.PutAsync(id, new ContractDocument("x", 0), ExpectedVersion.None, default))).Message);
        Assert.Equal(rule.Message, (await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.DeleteAsync(id, ExpectedVersion.Any, default))).Message);
        Assert.Empty((await Repository.QueryAsync(new PageRequest(10), default)).Items);
    }

    /// <summary>A document of exactly <see cref="PortRules.MaxDocumentBytes"/> bytes of JSON is stored and read back whole.</summary>
    [Fact]
    public async Task ADocumentOfExactlyTheSizeLimit_IsStoredAndReadBack()
    {
        var document = DocumentOfBytes(PortRules.MaxDocumentBytes);

        var version = await Repository.PutAsync("big", document, ExpectedVersion.None, default);

        Assert.Equal(new Stored<ContractDocument>("big", document, version), await Repository.GetAsync("big", default));
        var smaller = DocumentOfBytes(1000);
        var updated = await Repository.PutAsync("big", smaller, ExpectedVersion.Exactly(version), default);
        Assert.Equal(new Stored<ContractDocument>("big", smaller, updated), await Repository.GetAsync("big", default));
    }

    /// <summary>A document one byte over <see cref="PortRules.MaxDocumentBytes"/> is refused with a message naming its size and the limit, and nothing is written.</summary>
    [Fact]
    public async Task ADocumentOverTheSizeLimit_IsRefused_AndNothingIsWritten()
    {
        var version = await Repository.PutAsync("big", new ContractDocument("small", 1), ExpectedVersion.None, default);

        var refused = await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.PutAsync("big", DocumentOfBytes(PortRules.MaxDocumentBytes + 1), ExpectedVersion.Exactly(version), default));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Repository.PutAsync("other", DocumentOfBytes(3 * PortRules.MaxDocumentBytes), ExpectedVersion.Any, default));

        Assert.Contains("262,145", refused.Message, StringComparison.Ordinal);
        Assert.Contains("262,144", refused.Message, StringComparison.Ordinal);
        Assert.Equal(new Stored<ContractDocument>("big", new ContractDocument("small", 1), version), await Repository.GetAsync("big", default));
        Assert.Null(await Repository.GetAsync("other", default));
    }

    /// <summary>
    /// Put A, delete it at its version, create B: B's version is not A's, and a write and a delete expecting A's version
    /// conflict and keep B (versions are never reused across delete and re-create).
    /// </summary>
    [Fact]
    public async Task AStaleVersion_AfterDeleteAndRecreate_Conflicts_AndKeepsTheNewDocument()
    {
        var a = await Repository.PutAsync("doc", new ContractDocument("A", 1), ExpectedVersion.None, default);
        Assert.True(await Repository.DeleteAsync("doc", ExpectedVersion.Exactly(a), default));
        var b = await Repository.PutAsync("doc", new ContractDocument("B", 1), ExpectedVersion.None, default);

        Assert.NotEqual(a, b);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.PutAsync("doc", new ContractDocument("C", 1), ExpectedVersion.Exactly(a), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.DeleteAsync("doc", ExpectedVersion.Exactly(a), default));
        Assert.Equal(new Stored<ContractDocument>("doc", new ContractDocument("B", 1), b), await Repository.GetAsync("doc", default));
    }

    /// <summary>The same after an unconditional delete and an unconditional re-create.</summary>
    [Fact]
    public async Task AStaleVersion_AfterUnconditionalDeleteAndRecreate_Conflicts()
    {
        var a = await Repository.PutAsync("doc", new ContractDocument("A", 1), ExpectedVersion.Any, default);
        Assert.True(await Repository.DeleteAsync("doc", ExpectedVersion.Any, default));
        var b = await Repository.PutAsync("doc", new ContractDocument("B", 1), ExpectedVersion.Any, default);

        Assert.NotEqual(a, b);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.PutAsync("doc", new ContractDocument("C", 1), ExpectedVersion.Exactly(a), default));
        Assert.Equal("B", (await Repository.GetAsync("doc", default))!.Value.Name);
    }

    /// <summary>A version the store never issued is a conflict on put and delete, for an existing and for a missing document, never a store error.</summary>
    /// <param name="version">The foreign version.</param>
    [Theory]
    [MemberData(nameof(ForeignVersions))]
    public async Task AForeignVersion_IsAConflict_OnPutAndDelete(string version)
    {
        var created = await Repository.PutAsync("doc", new ContractDocument("A", 1), ExpectedVersion.None, default);
        var current = await Repository.PutAsync("doc", new ContractDocument("A", 2), ExpectedVersion.Exactly(created), default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.PutAsync("doc", new ContractDocument("X", 0), ExpectedVersion.Exactly(version), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.DeleteAsync("doc", ExpectedVersion.Exactly(version), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.PutAsync("missing", new ContractDocument("X", 0), ExpectedVersion.Exactly(version), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.DeleteAsync("missing", ExpectedVersion.Exactly(version), default));
        Assert.Equal(new Stored<ContractDocument>("doc", new ContractDocument("A", 2), current), await Repository.GetAsync("doc", default));
        Assert.Null(await Repository.GetAsync("missing", default));
    }

    /// <summary>The version of another document is a conflict on put and delete.</summary>
    [Fact]
    public async Task TheVersionOfAnotherDocument_IsAConflict()
    {
        var a = await Repository.PutAsync("a", new ContractDocument("A", 1), ExpectedVersion.None, default);
        var b = await Repository.PutAsync("b", new ContractDocument("B", 1), ExpectedVersion.None, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.PutAsync("a", new ContractDocument("X", 0), ExpectedVersion.Exactly(b), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.DeleteAsync("a", ExpectedVersion.Exactly(b), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.PutAsync("c", new ContractDocument("X", 0), ExpectedVersion.Exactly(a), default));
        Assert.Equal(new Stored<ContractDocument>("a", new ContractDocument("A", 1), a), await Repository.GetAsync("a", default));
        Assert.Null(await Repository.GetAsync("c", default));
    }

    /// <summary>The version of a deleted document is a conflict on put and delete, and does not re-create it.</summary>
    [Fact]
    public async Task TheVersionOfADeletedDocument_IsAConflict()
    {
        var version = await Repository.PutAsync("a", new ContractDocument("A", 1), ExpectedVersion.None, default);
        Assert.True(await Repository.DeleteAsync("a", ExpectedVersion.Any, default));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.PutAsync("a", new ContractDocument("X", 0), ExpectedVersion.Exactly(version), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.DeleteAsync("a", ExpectedVersion.Exactly(version), default));
        Assert.Null(await Repository.GetAsync("a", default));
    }

    /// <summary>Sixteen writers × 50 read-modify-write increments of one document, each retrying on a conflict: exactly 800.</summary>
    [Fact]
    public async Task ConcurrentIncrements_WithRetryOnConflict_EndAtExactly800()
    {
        await Repository.PutAsync("counter", new ContractDocument("counter", 0), ExpectedVersion.None, default);

        await IncrementConcurrentlyAsync(Repository, "counter", writers: 16, increments: 50);

        Assert.Equal(800, (await Repository.GetAsync("counter", default))!.Value.Count);
    }

    /// <summary>Sixteen writers creating the same id at once: exactly one wins, the others conflict, and the winner's document is stored.</summary>
    [Fact]
    public async Task ConcurrentCreates_OfOneId_HaveExactlyOneWinner()
    {
        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, 16).Select(n => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                return (Writer: n, Version: await Repository.PutAsync("race", new ContractDocument("race", n), ExpectedVersion.None, default));
            }
            catch (ConcurrencyConflictException)
            {
                return (Writer: n, Version: (string?)null);
            }
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(racers);

        var winner = Assert.Single(results, r => r.Version is not null);
        Assert.Equal(new Stored<ContractDocument>("race", new ContractDocument("race", winner.Writer), winner.Version!), await Repository.GetAsync("race", default));
    }

    /// <summary>
    /// Runs <paramref name="writers"/> concurrent writers, each making <paramref name="increments"/> read-modify-write increments
    /// of <see cref="ContractDocument.Count"/>, re-reading after a conflict with a short random pause so that they do not
    /// keep colliding in step.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="id">The document, which must exist.</param>
    /// <param name="writers">How many writers.</param>
    /// <param name="increments">How many increments each.</param>
    /// <returns>A task that completes when every increment is stored.</returns>
    public static async Task IncrementConcurrentlyAsync(IRepository<ContractDocument> repository, string id, int writers, int increments)
    {
        ArgumentNullException.ThrowIfNull(repository);
        async Task IncrementAsync()
        {
            for (var i = 0; i < increments; i++)
            {
                for (var attempt = 0; ; attempt++)
                {
                    var current = (await repository.GetAsync(id, default))!;
                    try
                    {
                        await repository.PutAsync(id, current.Value with { Count = current.Value.Count + 1 }, ExpectedVersion.Exactly(current.Version), default);
                        break;
                    }
                    catch (ConcurrencyConflictException)
                    {
                        // Another writer won: pause a little, read again.
                        await Task.Delay(Random.Shared.Next(0, Math.Min(2 + attempt, 20)));
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(IncrementAsync)));
    }

    /// <summary>A document whose JSON (with the contract's serializer settings) is exactly <paramref name="bytes"/> bytes long.</summary>
    /// <param name="bytes">The length wanted, at least 30.</param>
    /// <returns>The document.</returns>
    public static ContractDocument DocumentOfBytes(int bytes)
    {
        var overhead = JsonSerializer.SerializeToUtf8Bytes(new ContractDocument("", 7), ContractJson.Default.ContractDocument).Length;
        var document = new ContractDocument(new string('x', bytes - overhead), 7);
        var length = JsonSerializer.SerializeToUtf8Bytes(document, ContractJson.Default.ContractDocument).Length;
        return length == bytes ? document : throw new InvalidOperationException($"The document is {length} bytes, not {bytes}.");
    }
}
