using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Tests.Fixtures;

namespace Portable.Aws.Tests;

/// <summary><see cref="IRepository{T}"/> on DynamoDB Local.</summary>
public sealed class DynamoDbRepositoryTests : IAsyncLifetime
{
    private readonly string _name = AwsEmulators.Unique("docs");
    private ServiceProvider _services = null!;
    private IRepository<Doc> _docs = null!;

    public async Task InitializeAsync()
    {
        var app = AwsEmulators.App(b => b.AddJson(TestJson.Default).Resources.AddRepository<Doc>(_name));
        _services = AwsEmulators.Services(app);
        await AwsEmulators.CreateTableAsync(AwsEmulators.Dynamo, _name);
        _docs = _services.GetRequiredService<IRepository<Doc>>();
    }

    public async Task DisposeAsync()
    {
        await AwsEmulators.Dynamo.DeleteTableAsync(_name);
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Put_ThenGet_ReturnsTheDocumentAtWriteOneWithItsToken()
    {
        var version = await _docs.PutAsync("a", new Doc("alpha", 1), ExpectedVersion.None, default);

        var stored = await _docs.GetAsync("a", default);
        Assert.Matches("^1\\.[A-Za-z0-9_-]{16}$", version);
        Assert.Equal(new Stored<Doc>("a", new Doc("alpha", 1), version), stored);
        Assert.Null(await _docs.GetAsync("missing", default));
    }

    [Fact]
    public async Task Create_WhenTheIdExists_ThrowsConcurrencyConflict()
    {
        await _docs.PutAsync("a", new Doc("alpha", 1), ExpectedVersion.None, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _docs.PutAsync("a", new Doc("other", 2), ExpectedVersion.None, default));
        Assert.Equal("alpha", (await _docs.GetAsync("a", default))!.Value.Name);
    }

    [Fact]
    public async Task TwoConcurrentWriters_OneConflictsAndRetrying_LosesNoUpdate()
    {
        await _docs.PutAsync("counter", new Doc("counter", 0), ExpectedVersion.None, default);
        var first = (await _docs.GetAsync("counter", default))!;
        var second = (await _docs.GetAsync("counter", default))!;

        var writes = await Task.WhenAll(
            Attempt(() => _docs.PutAsync("counter", first.Value with { Count = first.Value.Count + 1 }, ExpectedVersion.Exactly(first.Version), default)),
            Attempt(() => _docs.PutAsync("counter", second.Value with { Count = second.Value.Count + 1 }, ExpectedVersion.Exactly(second.Version), default)));

        Assert.Equal(1, writes.Count(w => w is ConcurrencyConflictException));
        Assert.Equal(1, writes.Count(w => w is null));
        var reread = (await _docs.GetAsync("counter", default))!;
        await _docs.PutAsync("counter", reread.Value with { Count = reread.Value.Count + 1 }, ExpectedVersion.Exactly(reread.Version), default);
        var final = (await _docs.GetAsync("counter", default))!;
        Assert.Equal(2, final.Value.Count);
        Assert.StartsWith("3.", final.Version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyVersion_OverwritesAndBumpsTheVersion()
    {
        await _docs.PutAsync("a", new Doc("alpha", 1), ExpectedVersion.Any, default);
        var version = await _docs.PutAsync("a", new Doc("beta", 2), ExpectedVersion.Any, default);

        Assert.StartsWith("2.", version, StringComparison.Ordinal);
        Assert.Equal(version, (await _docs.GetAsync("a", default))!.Version);
        Assert.Equal("beta", (await _docs.GetAsync("a", default))!.Value.Name);
    }

    [Fact]
    public async Task Delete_ChecksTheVersionAndSaysWhetherADocumentWasThere()
    {
        var version = await _docs.PutAsync("a", new Doc("alpha", 1), ExpectedVersion.None, default);
        var second = await _docs.PutAsync("a", new Doc("alpha", 2), ExpectedVersion.Exactly(version), default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _docs.DeleteAsync("a", ExpectedVersion.Exactly(version), default));
        Assert.True(await _docs.DeleteAsync("a", ExpectedVersion.Exactly(second), default));
        Assert.False(await _docs.DeleteAsync("a", ExpectedVersion.Any, default));
        Assert.Null(await _docs.GetAsync("a", default));
    }

    [Fact]
    public async Task Query_ReadsEveryDocumentOncePageByPage()
    {
        var ids = Enumerable.Range(0, 25).Select(i => $"doc-{i:D2}").ToList();
        foreach (var id in ids.AsEnumerable().Reverse()) await _docs.PutAsync(id, new Doc(id, 0), ExpectedVersion.None, default);

        var pages = new List<Page<Stored<Doc>>>();
        string? token = null;
        do
        {
            var page = await _docs.QueryAsync(new PageRequest(10, token), default);
            pages.Add(page);
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal([10, 10, 5], pages.Select(p => p.Items.Count));
        Assert.Equal(ids.Order(StringComparer.Ordinal), pages.SelectMany(p => p.Items).Select(s => s.Id).Order(StringComparer.Ordinal));
    }

    private static async Task<Exception?> Attempt(Func<Task> write)
    {
        try
        {
            await write();
            return null;
        }
        catch (ConcurrencyConflictException e)
        {
            return e;
        }
    }
}
