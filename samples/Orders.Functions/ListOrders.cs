using Portable;

namespace Orders;

/// <summary>
/// <c>GET /orders?customerId=…[&amp;pageToken=…]</c>: a customer's orders, through the repository's paged query. The query pages
/// through every order and keeps the customer's, so one answer holds up to <see cref="PageSize"/> of them and a
/// <c>nextPageToken</c> while more orders remain to be looked at (pass it back as <c>pageToken</c>).
/// </summary>
/// <param name="orders">The orders.</param>
public sealed class ListOrders(IRepository<Order> orders) : IHttpFunction
{
    /// <summary>The most orders one answer holds (it may hold a few more: a page of the query is never split).</summary>
    public const int PageSize = 50;

    /// <inheritdoc />
    public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? customerId = request.Query["customerId"];
        if (string.IsNullOrWhiteSpace(customerId))
        {
            throw new InvalidInputException("customerId", "Say whose orders to list: GET /orders?customerId=…");
        }

        var found = new List<OrderView>();
        string? token = request.Query["pageToken"];
        do
        {
            Page<Stored<Order>> page;
            try
            {
                page = await orders.QueryAsync(new PageRequest(100, string.IsNullOrEmpty(token) ? null : token), cancellationToken);
            }
            catch (ArgumentException e)
            {
                throw new InvalidInputException("pageToken", $"The page token is not one this API gave out: {e.Message}");
            }

            found.AddRange(page.Items.Where(o => o.Value.CustomerId == customerId).Select(o => OrderView.From(o.Value)));
            token = page.ContinuationToken;
        }
        while (token is not null && found.Count < PageSize);

        return HttpResponseData.Json(200, new OrderList(found, token), OrdersJson.Default.OrderList);
    }
}
