namespace Portable.Contracts;

/// <summary>
/// What every network <see cref="IRepository{T}"/> does when the answer of a write it sent is lost after the store applied it
/// (a network error, a 503): its client retries, and the retry is neither reported as a false conflict nor applied twice.
/// The subclass builds the repository over the given <see cref="HttpMessageHandler"/> (a <see cref="LostAnswers"/>) and says
/// which requests are writes. Subclass it once for each repository implementation of the AWS, Azure and GCP adapters.
/// </summary>
public abstract class RepositoryRetryContract : IAsyncLifetime
{
    private IRepository<ContractDocument>? _repository;
    private LostAnswers? _answers;

    /// <summary>The collection this test works on, fresh for each test.</summary>
    protected string Collection { get; } = ContractApp.UniqueName("docs");

    /// <summary>The repository under test.</summary>
    protected IRepository<ContractDocument> Repository => _repository ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>The handler losing answers, between the repository's client and the store.</summary>
    protected LostAnswers Answers => _answers ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>Creates the implementation over an empty collection named <paramref name="collection"/>, sending every request through <paramref name="handler"/>.</summary>
    /// <param name="app">An app declaring the repository (see <see cref="ContractApp.Build"/>).</param>
    /// <param name="collection">The collection (table) name.</param>
    /// <param name="handler">The handler the repository's HTTP client must send through (the store's retries go through it too).</param>
    /// <returns>The repository.</returns>
    protected abstract Task<IRepository<ContractDocument>> CreateRepositoryAsync(PortableApp app, string collection, HttpMessageHandler handler);

    /// <summary>Says whether a request the repository sends writes a document (create, update, delete), as opposed to reading one.</summary>
    /// <param name="request">The request.</param>
    /// <returns>True for a write.</returns>
    protected abstract bool IsWrite(HttpRequestMessage request);

    /// <summary>The handler that talks to the store, under <see cref="LostAnswers"/>; a plain <see cref="SocketsHttpHandler"/> by default.</summary>
    /// <returns>The handler.</returns>
    protected virtual HttpMessageHandler CreateInnerHandler() => new SocketsHttpHandler();

    /// <summary>Releases what <see cref="CreateRepositoryAsync"/> made; nothing by default.</summary>
    /// <returns>A task that completes when it is released.</returns>
    protected virtual Task DeleteRepositoryAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _answers = new LostAnswers(IsWrite) { InnerHandler = CreateInnerHandler() };
        _repository = await CreateRepositoryAsync(ContractApp.Build(repository: Collection), Collection, _answers);
    }

    /// <inheritdoc />
    public Task DisposeAsync() => DeleteRepositoryAsync();

    /// <summary>
    /// Sixteen writers × 50 read-modify-write increments, with the answer of one write in 25 lost: exactly 800, no false conflict
    /// turned into a double apply. Check whether a write was applied right after its answer is lost, before the backoff: with
    /// sixteen busy writers, more than 32 writes can pass during a backoff of a second, and the ring no longer holds the token.
    /// </summary>
    [Fact]
    public async Task ConcurrentIncrements_WithOneWriteAnswerIn25Lost_EndAtExactly800()
    {
        await Repository.PutAsync("counter", new ContractDocument("counter", 0), ExpectedVersion.None, default);
        Answers.EveryNthWrite = 25;

        await RepositoryContract.IncrementConcurrentlyAsync(Repository, "counter", writers: 16, increments: 50);

        Answers.EveryNthWrite = 0;
        Assert.Equal(800, (await Repository.GetAsync("counter", default))!.Value.Count);
        Assert.True(Answers.Lost > 0, $"No answer was lost in {Answers.Writes} writes: IsWrite does not recognise the store's writes.");
    }

    /// <summary>A create whose answer is lost succeeds (not a conflict with itself), and the store holds the document at the version returned.</summary>
    /// <param name="how">How the answer is lost.</param>
    [Theory]
    [InlineData(LostAnswer.NetworkError)]
    [InlineData(LostAnswer.ServiceUnavailable)]
    public async Task Create_WhoseAnswerIsLost_Succeeds_AndTheDocumentIsStored(LostAnswer how)
    {
        Answers.LoseNextWrite(how);
        var version = await Repository.PutAsync("a", new ContractDocument("alpha", 1), ExpectedVersion.None, default);

        Assert.Equal(1, Answers.Lost);
        Assert.Equal(new Stored<ContractDocument>("a", new ContractDocument("alpha", 1), version), await Repository.GetAsync("a", default));
        await Repository.PutAsync("a", new ContractDocument("alpha", 2), ExpectedVersion.Exactly(version), default);
    }

    /// <summary>An update whose answer is lost succeeds, is applied once, returns the current version, and the version it replaced stays stale.</summary>
    /// <param name="how">How the answer is lost.</param>
    [Theory]
    [InlineData(LostAnswer.NetworkError)]
    [InlineData(LostAnswer.ServiceUnavailable)]
    public async Task Update_WhoseAnswerIsLost_Succeeds_AndIsAppliedOnce(LostAnswer how)
    {
        var created = await Repository.PutAsync("a", new ContractDocument("alpha", 1), ExpectedVersion.None, default);

        Answers.LoseNextWrite(how);
        var updated = await Repository.PutAsync("a", new ContractDocument("alpha", 2), ExpectedVersion.Exactly(created), default);

        Assert.Equal(1, Answers.Lost);
        Assert.NotEqual(created, updated);
        Assert.Equal(new Stored<ContractDocument>("a", new ContractDocument("alpha", 2), updated), await Repository.GetAsync("a", default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Repository.PutAsync("a", new ContractDocument("stale", 9), ExpectedVersion.Exactly(created), default));
        await Repository.PutAsync("a", new ContractDocument("alpha", 3), ExpectedVersion.Exactly(updated), default);
    }

    /// <summary>A conditional delete whose answer is lost is reported as deleted, and the document is gone.</summary>
    /// <param name="how">How the answer is lost.</param>
    [Theory]
    [InlineData(LostAnswer.NetworkError)]
    [InlineData(LostAnswer.ServiceUnavailable)]
    public async Task Delete_WhoseAnswerIsLost_IsReportedAsDeleted(LostAnswer how)
    {
        var version = await Repository.PutAsync("a", new ContractDocument("alpha", 1), ExpectedVersion.None, default);

        Answers.LoseNextWrite(how);
        Assert.True(await Repository.DeleteAsync("a", ExpectedVersion.Exactly(version), default));

        Assert.Equal(1, Answers.Lost);
        Assert.Null(await Repository.GetAsync("a", default));
    }

    /// <summary>An unconditional write whose answer is lost succeeds, and the store holds the document at the version returned.</summary>
    /// <param name="how">How the answer is lost.</param>
    [Theory]
    [InlineData(LostAnswer.NetworkError)]
    [InlineData(LostAnswer.ServiceUnavailable)]
    public async Task UnconditionalWrite_WhoseAnswerIsLost_Succeeds(LostAnswer how)
    {
        await Repository.PutAsync("a", new ContractDocument("alpha", 1), ExpectedVersion.None, default);

        Answers.LoseNextWrite(how);
        var version = await Repository.PutAsync("a", new ContractDocument("alpha", 2), ExpectedVersion.Any, default);

        Assert.Equal(1, Answers.Lost);
        Assert.Equal(new Stored<ContractDocument>("a", new ContractDocument("alpha", 2), version), await Repository.GetAsync("a", default));
    }
}
