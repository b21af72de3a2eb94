namespace Portable.Local.Tests;

public sealed class RepositoryTests
{
    [Fact]
    public async Task TwoWritersOfTheSameVersion_OneConflicts_AndTheWinnerIsKept()
    {
        await using var host = await RunningHost.StartAsync();
        var repository = host.Get<IRepository<Counter>>();
        var created = await repository.PutAsync("c", new Counter(0), ExpectedVersion.None, default);

        var first = await repository.PutAsync("c", new Counter(1), ExpectedVersion.Exactly(created), default);
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.PutAsync("c", new Counter(2), ExpectedVersion.Exactly(created), default));

        Assert.Equal("counters", conflict.Collection);
        Assert.Equal("c", conflict.Id);
        var stored = await repository.GetAsync("c", default);
        Assert.Equal(new Counter(1), stored!.Value);
        Assert.Equal(first, stored.Version);
        Assert.NotEqual(created, first);
    }

    [Fact]
    public async Task ConcurrentIncrementsWithRetry_LoseNoUpdate()
    {
        await using var host = await RunningHost.StartAsync();
        var repository = host.Get<IRepository<Counter>>();
        await repository.PutAsync("n", new Counter(0), ExpectedVersion.None, default);
        var conflicts = 0;

        async Task IncrementAsync()
        {
            for (var i = 0; i < 50; i++)
            {
                while (true)
                {
                    var current = (await repository.GetAsync("n", default))!;
                    await Task.Yield();
                    try
                    {
                        await repository.PutAsync("n", new Counter(current.Value.Value + 1), ExpectedVersion.Exactly(current.Version), default);
                        break;
                    }
                    catch (ConcurrencyConflictException)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        }

        await Task.WhenAll(Task.Run(IncrementAsync), Task.Run(IncrementAsync));
        Assert.Equal(100, (await repository.GetAsync("n", default))!.Value.Value);
    }

    [Fact]
    public async Task CreateOnly_RefusesExisting_AndDeleteChecksVersion()
    {
        await using var host = await RunningHost.StartAsync();
        var repository = host.Get<IRepository<Counter>>();
        var v1 = await repository.PutAsync("x", new Counter(1), ExpectedVersion.None, default);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.PutAsync("x", new Counter(2), ExpectedVersion.None, default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.PutAsync("x", new Counter(2), ExpectedVersion.Exactly("999"), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.PutAsync("x", new Counter(2), ExpectedVersion.Exactly("not-a-version"), default));

        var v2 = await repository.PutAsync("x", new Counter(3), ExpectedVersion.Any, default);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.DeleteAsync("x", ExpectedVersion.Exactly(v1), default));
        Assert.True(await repository.DeleteAsync("x", ExpectedVersion.Exactly(v2), default));
        Assert.Null(await repository.GetAsync("x", default));
        Assert.False(await repository.DeleteAsync("x", ExpectedVersion.Any, default));
    }

    [Fact]
    public async Task Query_PagesThroughEveryDocumentOnce_InIdOrder()
    {
        await using var host = await RunningHost.StartAsync();
        var repository = host.Get<IRepository<Counter>>();
        for (var i = 0; i < 250; i++) await repository.PutAsync($"k{i:000}", new Counter(i), ExpectedVersion.Any, default);

        var seen = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await repository.QueryAsync(new PageRequest(100, token), default);
            seen.AddRange(page.Items.Select(s => s.Id));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"k{i:000}"), seen);
    }

    [Fact]
    public async Task UndeclaredDocumentType_FailsNamingTheFix()
    {
        await using var host = await RunningHost.StartAsync();
        var error = Assert.Throws<PortableConfigurationException>(() => host.Get<IRepository<Echo>>());
        Assert.Contains("AddRepository<Echo>", error.Message, StringComparison.Ordinal);
    }
}
