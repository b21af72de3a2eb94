namespace Portable.Core.Tests.Fixtures;

/// <summary>Handlers whose constructors take ports, for the catalog's least-privilege reading.</summary>
public sealed class ReadsOrders(IRepository<Order> orders) : IHttpFunction
{
    public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        => await orders.GetAsync("o-1", cancellationToken) is null ? HttpResponseData.NotFound("none") : new HttpResponseData(200);
}

public sealed class PlacesOrders(IRepository<Order> orders, IQueue<OrderPlaced> placed) : IFunction<Greeting, GreetingReply>
{
    public async Task<GreetingReply> HandleAsync(Greeting input, FunctionContext context, CancellationToken cancellationToken)
    {
        await orders.PutAsync("o-1", new Order("o-1", input.Name), ExpectedVersion.None, cancellationToken);
        await placed.SendAsync(new OrderPlaced("o-1", 1m), cancellationToken);
        return new GreetingReply("placed");
    }

    /// <summary>A second constructor: its ports count too, since DI may pick either.</summary>
    public PlacesOrders(IRepository<Order> orders, IQueue<OrderPlaced> placed, IRepository<Invoice> invoices)
        : this(orders, placed) => _ = invoices;
}

public sealed class Announces(INotifier notifier) : IMessageHandler<OrderPlaced>
{
    public Task HandleAsync(OrderPlaced message, FunctionContext context, CancellationToken cancellationToken)
        => notifier.PublishAsync(new Notification("announcements", message.OrderId), cancellationToken);
}
