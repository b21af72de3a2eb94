using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orders;
using Portable.Blobs;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>
/// The Orders sample's file import on the GCP host (issue #15): a CSV in the in-test Cloud Storage's <c>{project}-imports</c>, the
/// Eventarc <c>object.v1.finalized</c> CloudEvent for it delivered to <c>ImportOrders</c> (binary mode, as Eventarc sends it), and the
/// orders listed by <c>ListOrders</c>; a second delivery of the same event places nothing more (it sends the unconfirmed orders'
/// <c>OrderPlaced</c> again, as the sample does to recover from a crash between the write and the send: the same order ids).
/// </summary>
public sealed class ImportOrdersOnGcpTests
{
    [Fact]
    public async Task FinalizedEventOfAThreeLineCsv_PlacesThreeOrders_ListedByCustomer_AndARedeliveryPlacesNone()
    {
        await using var google = await FakeGoogleApis.StartAsync();
        await using var storage = await FakeCloudStorage.StartAsync();
        await using var import = await GcpAppHost.StartAsync(OrdersApp.Configure, "ImportOrders", google, storage: storage);
        await using var list = await GcpAppHost.StartAsync(OrdersApp.Configure, "ListOrders", google, storage: storage);
        const string customer = "c-gcs";
        var csv = $"customerId,sku,quantity,unitPrice\n{customer},A,1,10.50\n{customer},B,2,3\n{customer},C,3,0.25\n";
        var imports = import.Services.GetRequiredKeyedService<IBlobStore>("imports");
        var stored = await imports.PutAsync("batches/day 1.csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)), new BlobPutOptions { ContentType = "text/csv" }, default);

        HttpRequestMessage Finalized()
        {
            var data = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["bucket"] = GcsTestServices.Physical("imports"),
                ["name"] = "batches/day 1.csv",
                ["generation"] = stored.ETag,
                ["size"] = stored.Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["contentType"] = "text/csv",
                ["timeCreated"] = "2026-12-01T04:00:00.000Z",
                ["updated"] = "2026-12-01T04:00:00.000Z",
            });
            var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(data, Encoding.UTF8, "application/json") };
            request.Headers.Add("ce-specversion", "1.0");
            request.Headers.Add("ce-type", "google.cloud.storage.object.v1.finalized");
            request.Headers.Add("ce-source", $"//storage.googleapis.com/projects/_/buckets/{GcsTestServices.Physical("imports")}");
            request.Headers.Add("ce-subject", "objects/batches/day 1.csv");
            request.Headers.Add("ce-id", "import-1");
            request.Headers.Add("ce-time", "2026-12-01T04:00:00.000Z");
            return request;
        }

        using (var first = await import.Client.SendAsync(Finalized())) Assert.True(first.IsSuccessStatusCode, $"{first.StatusCode}: {await first.Content.ReadAsStringAsync()}");
        var placed = google.PublishedTo("order-placed").Select(OrderIdOf).ToList();
        using (var again = await import.Client.SendAsync(Finalized())) Assert.True(again.IsSuccessStatusCode, $"{again.StatusCode}: {await again.Content.ReadAsStringAsync()}");

        var page = await list.Client.GetFromJsonAsync<JsonElement>($"/orders?customerId={customer}");
        var orders = page.GetProperty("orders").EnumerateArray().ToList();
        Assert.Equal(["A", "B", "C"], orders.Select(o => o.GetProperty("items")[0].GetProperty("sku").GetString()).Order());
        Assert.Equal(orders.Select(o => o.GetProperty("orderId").GetString()).Order(), placed.Order());
        Assert.Equal(placed.Order(), google.PublishedTo("order-placed").Select(OrderIdOf).Distinct().Order());
    }

    private static string? OrderIdOf(PublishedMessage message)
        => JsonDocument.Parse(message.Data).RootElement.GetProperty("orderId").GetString();
}
