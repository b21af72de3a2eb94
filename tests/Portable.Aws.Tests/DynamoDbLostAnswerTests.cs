using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portable.Aws.Tests.Fixtures;

namespace Portable.Aws.Tests;

/// <summary>
/// <see cref="IRepository{T}"/> on DynamoDB Local when the answer to a write is lost after DynamoDB applied it (the adapter's retry
/// then fails its own condition): the write must be recognised as done, never reported as a conflict nor applied twice.
/// </summary>
public sealed class DynamoDbLostAnswerTests : IAsyncLifetime
{
    private readonly string _name = AwsEmulators.Unique("lost");
    private readonly DropWriteAnswers _drops = new();
    private ServiceProvider _services = null!;
    private IRepository<Doc> _docs = null!;

    public async Task InitializeAsync()
    {
        var app = AwsEmulators.App(b => b.AddJson(TestJson.Default).Resources.AddRepository<Doc>(_name));
        _services = AwsEmulators.Services(app, _drops);
        await AwsEmulators.CreateTableAsync(AwsEmulators.Dynamo, _name);
        _docs = _services.GetRequiredService<IRepository<Doc>>();
    }

    public async Task DisposeAsync()
    {
        await AwsEmulators.Dynamo.DeleteTableAsync(_name);
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Create_WhoseAnswerIsLost_Succeeds_AndTheDocumentIsStoredAtTheReturnedVersion()
    {
        _drops.DropNext();
        var version = await _docs.PutAsync("a", new Doc("alpha", 1), ExpectedVersion.None, default);

        Assert.Equal(1, _drops.Dropped);
        Assert.Equal(new Stored<Doc>("a", new Doc("alpha", 1), version), await _docs.GetAsync("a", default));
    }

    [Fact]
    public async Task Update_WhoseAnswerIsLost_Succeeds_AndIsAppliedOnce()
    {
        var created = await _docs.PutAsync("a", new Doc("alpha", 1), ExpectedVersion.None, default);

        _drops.DropNext();
        var updated = await _docs.PutAsync("a", new Doc("alpha", 2), ExpectedVersion.Exactly(created), default);

        Assert.Equal(1, _drops.Dropped);
        Assert.Equal(new Stored<Doc>("a", new Doc("alpha", 2), updated), await _docs.GetAsync("a", default));
        Assert.StartsWith("2.", updated, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _docs.PutAsync("a", new Doc("stale", 9), ExpectedVersion.Exactly(created), default));
    }

    [Fact]
    public async Task Delete_WhoseAnswerIsLost_ReportsDeleted()
    {
        var created = await _docs.PutAsync("a", new Doc("alpha", 1), ExpectedVersion.None, default);

        _drops.DropNext();
        Assert.True(await _docs.DeleteAsync("a", ExpectedVersion.Exactly(created), default));

        Assert.Equal(1, _drops.Dropped);
        Assert.Null(await _docs.GetAsync("a", default));
    }

    [Fact]
    public async Task SixteenWritersTimesFifty_WithEveryTwentyFifthWriteAnswerLost_EndAtExactly800()
    {
        const int writers = 16, increments = 50;
        await _docs.PutAsync("counter", new Doc("counter", 0), ExpectedVersion.None, default);
        _drops.DropEvery(25);

        async Task IncrementAsync()
        {
            for (var i = 0; i < increments; i++)
            {
                while (true)
                {
                    var current = (await _docs.GetAsync("counter", default))!;
                    try
                    {
                        await _docs.PutAsync("counter", current.Value with { Count = current.Value.Count + 1 }, ExpectedVersion.Exactly(current.Version), default);
                        break;
                    }
                    catch (ConcurrencyConflictException)
                    {
                        await Task.Delay(Random.Shared.Next(1, 5));
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(IncrementAsync)));

        Assert.True(_drops.Dropped > 0, "No answer was dropped, so the test proves nothing.");
        Assert.Equal(writers * increments, (await _docs.GetAsync("counter", default))!.Value.Count);
    }

    [Fact]
    public async Task StaleVersion_AfterDeleteAndRecreate_Conflicts_AndTheNewDocumentIsKept()
    {
        var a = await _docs.PutAsync("x", new Doc("A", 1), ExpectedVersion.None, default);
        Assert.True(await _docs.DeleteAsync("x", ExpectedVersion.Exactly(a), default));
        var b = await _docs.PutAsync("x", new Doc("B", 1), ExpectedVersion.None, default);

        Assert.NotEqual(a, b);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _docs.PutAsync("x", new Doc("C", 1), ExpectedVersion.Exactly(a), default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _docs.DeleteAsync("x", ExpectedVersion.Exactly(a), default));
        Assert.Equal(new Stored<Doc>("x", new Doc("B", 1), b), await _docs.GetAsync("x", default));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("1.AAAAAAAAAAAAAAAA")]
    [InlineData("01.AAAAAAAAAAAAAAAA")]
    [InlineData("1.AAAAAAAAAAAAAAA\"")]
    [InlineData("*")]
    [InlineData("9223372036854775807.AAAAAAAAAAAAAAAA")]
    public async Task ForeignOrMalformedVersion_IsAConflict_OnPutAndDelete_ForAnExistingAndAMissingDocument(string version)
    {
        await _docs.PutAsync("there", new Doc("there", 1), ExpectedVersion.None, default);

        foreach (var id in new[] { "there", "missing" })
        {
            await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _docs.PutAsync(id, new Doc("x", 2), ExpectedVersion.Exactly(version), default));
            await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _docs.DeleteAsync(id, ExpectedVersion.Exactly(version), default));
        }

        Assert.Equal(1, (await _docs.GetAsync("there", default))!.Value.Count);
        Assert.Null(await _docs.GetAsync("missing", default));
    }

    /// <summary>Lets DynamoDB apply a write, then loses its answer: alternately a network failure and a 503.</summary>
    private sealed class DropWriteAnswers : DelegatingHandler
    {
        private int _every;
        private int _next;
        private int _writes;
        private int _dropped;

        public int Dropped => Volatile.Read(ref _dropped);

        public void DropNext() => Volatile.Write(ref _next, 1);

        public void DropEvery(int every) => Volatile.Write(ref _every, every);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First() : "";
            var response = await base.SendAsync(request, cancellationToken);
            if (!target.EndsWith(".UpdateItem", StringComparison.Ordinal) && !target.EndsWith(".DeleteItem", StringComparison.Ordinal)) return response;
            var count = Interlocked.Increment(ref _writes);
            var drop = Interlocked.Exchange(ref _next, 0) == 1 || (Volatile.Read(ref _every) is > 0 and var every && count % every == 0);
            if (!drop || !response.IsSuccessStatusCode) return response;
            response.Dispose();
            return Interlocked.Increment(ref _dropped) % 2 == 1
                ? throw new HttpRequestException("The answer was lost (injected by the test).")
                : new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("{}") };
        }
    }
}
