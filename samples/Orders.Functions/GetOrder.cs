using Portable;

namespace Orders;

/// <summary><c>GET /orders/{id}</c>: the order, or 404.</summary>
public sealed class GetOrder(IRepository<Order> orders) : IHttpFunction
{
    /// <inheritdoc />
    public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.RouteValues["id"];
        var stored = await orders.GetAsync(id, cancellationToken);
        return stored is null
            ? HttpResponseData.NotFound($"There is no order '{id}'.")
            : HttpResponseData.Json(200, OrderView.From(stored.Value), OrdersJson.Default.OrderView);
    }
}
