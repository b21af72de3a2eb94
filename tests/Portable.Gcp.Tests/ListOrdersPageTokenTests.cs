using System.Net;
using Orders;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>
/// <c>GET /orders?customerId=&amp;pageToken=</c> on GCP: Firestore refuses a page token it did not give out (400), which the
/// repository reports as the <see cref="ArgumentException"/> every store throws, so ListOrders answers 400, not 500 (the fuzz
/// suite found the 500).
/// </summary>
public sealed class ListOrdersPageTokenTests
{
    [Theory]
    [InlineData("!!!")]
    [InlineData("%00")]
    public async Task ListOrders_WithAPageTokenFirestoreDidNotGiveOut_Answers400(string token)
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var list = await GcpAppHost.StartAsync(OrdersApp.Configure, "ListOrders", google);

        using var refused = await list.Client.GetAsync($"/orders?customerId=c-1&pageToken={token}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("pageToken", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var listed = await list.Client.GetAsync("/orders?customerId=c-1");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }
}
