using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portable;
using Portable.Blobs;

namespace Orders;

/// <summary><c>GET /orders/{id}</c>: the order, with a pre-signed download URL of its receipt (15 minutes by default) once there is one; or 404.</summary>
/// <param name="orders">The orders.</param>
/// <param name="receipts">The receipts <see cref="SendConfirmation"/> writes.</param>
/// <param name="options">The Orders settings (<see cref="OrdersOptions.ReceiptUrlLifetime"/>).</param>
public sealed class GetOrder(IRepository<Order> orders, [FromKeyedServices(SendConfirmation.ReceiptsBucket)] IBlobStore receipts, IOptions<OrdersOptions> options) : IHttpFunction
{
    /// <inheritdoc />
    public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.RouteValues["id"];
        var stored = await orders.GetAsync(id, cancellationToken);
        if (stored is null) return HttpResponseData.NotFound($"There is no order '{id}'.");
        var view = OrderView.From(stored.Value);
        var receipt = SendConfirmation.ReceiptName(id);
        if (stored.Value.Status == OrderStatus.Confirmed && await receipts.GetPropertiesAsync(receipt, cancellationToken) is not null)
        {
            view = view with { ReceiptUrl = await receipts.GetSignedUrlAsync(receipt, new BlobSignedUrlOptions { ExpiresIn = options.Value.ReceiptUrlLifetime }, cancellationToken) };
        }

        return HttpResponseData.Json(200, view, OrdersJson.Default.OrderView);
    }
}
