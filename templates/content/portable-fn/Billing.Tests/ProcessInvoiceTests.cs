using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Portable;
using Portable.Testing;

namespace Billing.Tests;

public sealed class ProcessInvoiceTests
{
    private static FunctionContext Context(string id = "msg-1") => new(id, "ProcessInvoice", "test", Substitute.For<IServiceProvider>(), NullLogger.Instance);

    [Fact]
    public async Task Process_NewRequest_SavesInvoiceThenNotifies()
    {
        var invoices = Substitute.For<IRepository<Invoice>>();
        var notifier = Substitute.For<INotifier>();
        await new ProcessInvoice(invoices, notifier, TimeProvider.System).HandleAsync(new InvoiceRequested("cus-1", 12.5m), Context(), default);

        await invoices.Received(1).PutAsync("inv-msg-1", Arg.Is<Invoice>(i => i.Amount == 12.5m), ExpectedVersion.None, Arg.Any<CancellationToken>());
        await notifier.Received(1).PublishAsync(Arg.Is<Notification>(n => n.Topic == ProcessInvoice.Topic && n.DeduplicationId == "inv-msg-1"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Process_Redelivery_DoesNotNotifyTwice()
    {
        var invoices = Substitute.For<IRepository<Invoice>>();
        invoices.PutAsync(default!, default!, default, default).ReturnsForAnyArgs<string>(_ => throw new ConcurrencyConflictException("invoices", "inv-msg-1", ExpectedVersion.None));
        var notifier = Substitute.For<INotifier>();
        await new ProcessInvoice(invoices, notifier, TimeProvider.System).HandleAsync(new InvoiceRequested("cus-1", 12.5m), Context(), default);
        await notifier.DidNotReceiveWithAnyArgs().PublishAsync(default!, default);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_000_000_001)]
    public async Task Process_AmountOutOfRange_IsInvalidInputNamingAmount(int amount)
    {
        var invoices = Substitute.For<IRepository<Invoice>>();
        var error = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new ProcessInvoice(invoices, Substitute.For<INotifier>(), TimeProvider.System).HandleAsync(new InvoiceRequested("cus-1", amount), Context(), default));

        Assert.Equal("amount", Assert.Single(error.Errors).Key);
        await invoices.DidNotReceiveWithAnyArgs().PutAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task QueuedRequest_ThroughTheLocalHost_IssuesOneInvoice()
    {
        await using var host = await PortableTestHost.StartAsync(BillingApp.Configure);
        await host.SendAsync(new InvoiceRequested("cus-1", 99m));
        await host.WaitForIdleAsync();

        var notification = Assert.Single(host.Notifications);
        Assert.Contains("\"amount\":99", notification.Body, StringComparison.Ordinal);
        var page = await host.Repository<Invoice>().QueryAsync(new PageRequest(10), default);
        Assert.Single(page.Items);
        Assert.Empty(host.DeadLetters());
    }
}
