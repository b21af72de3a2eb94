using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Portable;
using Portable.Testing;

namespace Billing.Tests;

public sealed class NightlyReportTests
{
    [Fact]
    public async Task Report_TotalsEveryPage_AndPublishesOnce()
    {
        var invoices = Substitute.For<IRepository<Invoice>>();
        var now = DateTimeOffset.UnixEpoch;
        invoices.QueryAsync(Arg.Is<PageRequest>(p => p.ContinuationToken == null), Arg.Any<CancellationToken>())
            .Returns(new Page<Stored<Invoice>>([new("a", new Invoice("a", "c", 10m, now), "1")], "next"));
        invoices.QueryAsync(Arg.Is<PageRequest>(p => p.ContinuationToken == "next"), Arg.Any<CancellationToken>())
            .Returns(new Page<Stored<Invoice>>([new("b", new Invoice("b", "c", 5.5m, now), "1")], null));
        var notifier = Substitute.For<INotifier>();
        var context = new FunctionContext("t-1", "NightlyReport", "test", Substitute.For<IServiceProvider>(), NullLogger.Instance);

        await new NightlyReport(invoices, notifier).HandleAsync(new ScheduledEvent("NightlyReport", now, "0 2 * * *"), context, default);

        await notifier.Received(1).PublishAsync(Arg.Is<Notification>(n => n.Body == "{\"invoices\":2,\"total\":15.5}"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task FiredSchedule_ThroughTheLocalHost_PublishesTheReport()
    {
        await using var host = await PortableTestHost.StartAsync(BillingApp.Configure);
        await host.Repository<Invoice>().PutAsync("i-1", new Invoice("i-1", "c", 7m, DateTimeOffset.UtcNow), ExpectedVersion.None, default);
        await host.FireScheduleAsync("NightlyReport");
        Assert.Equal("{\"invoices\":1,\"total\":7}", Assert.Single(host.Notifications).Body);
    }
}
