using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Portable;
using Portable.Blobs;

namespace Orders.Tests;

/// <summary>ImportOrders on its own: which lines become orders, under which ids, and what a second delivery does.</summary>
public sealed class ImportOrdersTests
{
    private static readonly BlobEvent Uploaded = new("imports", "day.csv", BlobEvents.Created, DateTimeOffset.UnixEpoch, "e-1");

    private static FunctionContext Context()
        => new("inv-1", "ImportOrders", "test", Substitute.For<IServiceProvider>(), NullLogger.Instance);

    private static IBlobStore FileWith(string csv)
    {
        var imports = Substitute.For<IBlobStore>();
        imports.GetAsync("day.csv", null, Arg.Any<CancellationToken>()).Returns(_ => new BlobDownload(
            new BlobProperties("day.csv", csv.Length, "text/csv", "etag-1", DateTimeOffset.UnixEpoch, new Dictionary<string, string>()),
            new MemoryStream(Encoding.UTF8.GetBytes(csv))));
        return imports;
    }

    [Fact]
    public async Task BadLines_AreSkipped_AndTheGoodOnesPlacedUnderIdsOfFileAndLine()
    {
        var orders = Substitute.For<IRepository<Order>>();
        var queue = Substitute.For<IQueue<OrderPlaced>>();
        var csv = "customerId,sku,quantity,unitPrice\nc-1,A,1,2.5\nc-1,B,x,1\n\nc-1,C,0,1\nc-1,D,2,1\n";

        await new ImportOrders(orders, queue, FileWith(csv), TimeProvider.System, OrdersMetrics.Standalone()).HandleAsync(Uploaded, Context(), default);

        await orders.Received(1).PutAsync(ImportOrders.OrderIdOf("imports", "day.csv", 2), Arg.Is<Order>(o => o.Items[0].Sku == "A"), ExpectedVersion.None, Arg.Any<CancellationToken>());
        await orders.Received(1).PutAsync(ImportOrders.OrderIdOf("imports", "day.csv", 6), Arg.Is<Order>(o => o.Items[0].Sku == "D"), ExpectedVersion.None, Arg.Any<CancellationToken>());
        await orders.Received(2).PutAsync(Arg.Any<string>(), Arg.Any<Order>(), Arg.Any<ExpectedVersion>(), Arg.Any<CancellationToken>());
        await queue.Received(2).SendAsync(Arg.Any<OrderPlaced>(), null, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ASecondDelivery_PlacesNothing_AndRequeuesOnlyAnUnconfirmedOrder()
    {
        var orders = Substitute.For<IRepository<Order>>();
        var queue = Substitute.For<IQueue<OrderPlaced>>();
        var first = ImportOrders.OrderIdOf("imports", "day.csv", 2);
        var second = ImportOrders.OrderIdOf("imports", "day.csv", 3);
        orders.PutAsync(Arg.Any<string>(), Arg.Any<Order>(), ExpectedVersion.None, Arg.Any<CancellationToken>())
            .ThrowsAsync(call => new ConcurrencyConflictException("orders", call.ArgAt<string>(0), ExpectedVersion.None));
        orders.GetAsync(first, Arg.Any<CancellationToken>()).Returns(new Stored<Order>(first, OrderOf(first, OrderStatus.Confirmed), "v1"));
        orders.GetAsync(second, Arg.Any<CancellationToken>()).Returns(new Stored<Order>(second, OrderOf(second, OrderStatus.Placed), "v1"));

        await new ImportOrders(orders, queue, FileWith("customerId,sku,quantity,unitPrice\nc-1,A,1,1\nc-1,B,1,1\n"), TimeProvider.System, OrdersMetrics.Standalone())
            .HandleAsync(Uploaded, Context(), default);

        await queue.Received(1).SendAsync(new OrderPlaced(second), null, Arg.Any<CancellationToken>());
        await queue.DidNotReceive().SendAsync(new OrderPlaced(first), null, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task AFileWithoutTheHeader_PlacesNothing()
    {
        var orders = Substitute.For<IRepository<Order>>();

        await new ImportOrders(orders, Substitute.For<IQueue<OrderPlaced>>(), FileWith("c-1,A,1,1\n"), TimeProvider.System, OrdersMetrics.Standalone())
            .HandleAsync(Uploaded, Context(), default);

        await orders.DidNotReceiveWithAnyArgs().PutAsync(default!, default!, default, default);
    }

    private static Order OrderOf(string id, string status) => new(id, "c-1", [new OrderItem("A", 1, 1m)], 1m, status, DateTimeOffset.UnixEpoch);
}
