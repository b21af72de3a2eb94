using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orders;
using Portable.Azure.Bindings;
using Portable.Testing;

namespace Portable.Azure.Tests;

/// <summary>
/// Issue #15's sample flow on Azure through the real entry point: the published Native AOT custom handler of the Orders sample,
/// storage on Azurite. A CSV lands in container <c>imports</c>; Event Grid's <c>Microsoft.Storage.BlobCreated</c> (the published
/// example's shape) invokes <c>ImportOrders</c>, which answers its orders' confirmations as the queue output the host writes;
/// <c>GET /orders?customerId=</c> lists them; <c>SendConfirmation</c> writes each receipt, and the SAS URL of
/// <c>GET /orders/{id}</c> downloads it from Azurite (which checks the signature).
/// </summary>
public sealed class ImportOrdersHandlerTests : IAsyncLifetime
{
    private CaptureServer _eventGrid = null!;
    private Process _process = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _eventGrid = await CaptureServer.StartAsync();
        (_process, _client) = await PublishedSample.StartAsync(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Portable__Azure__Topics__order_confirmations__Endpoint"] = new Uri(_eventGrid.Address, "/api/events").ToString(),
            ["Portable__Azure__Topics__order_confirmations__Key"] = "test-key",
        });
    }

    public async Task DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _client.Dispose();
        await _eventGrid.DisposeAsync();
    }

    [Fact]
    public async Task BlobCreatedEvent_OfAThreeLineCsv_PlacesThreeOrders_ListedByCustomer_OnceEvenDeliveredTwice_WithReceiptsBehindSasUrls()
    {
        var customer = Azurite.UniqueName("c-import-");
        var name = $"batches/day-{Guid.NewGuid():N}.csv";
        var uploaded = await UploadAsync(name, $"customerId,sku,quantity,unitPrice\n{customer},A,1,10.50\n{customer},B,2,3\n{customer},C,3,0.25\n");
        var blobCreated = BlobCreated(name, uploaded);

        var outputs = await InvokeAsync("ImportOrders", blobCreated, "inv-import-1");
        var messages = outputs.GetProperty("outOrderPlaced").EnumerateArray().Select(m => QueueMessageTrace.Strip(m.GetString()!)).ToList();
        var ids = Enumerable.Range(2, 3).Select(line => ImportOrders.OrderIdOf(ImportOrders.Bucket, name, line)).ToList();
        Assert.Equal(ids.Select(id => $$"""{"orderId":"{{id}}"}"""), messages);

        var listed = await ListAsync(customer);
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(o => o.GetProperty("orderId").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(listed, o => Assert.Equal("placed", o.GetProperty("status").GetString()));

        // Play the host: its queue output wrote the messages; each reaches SendConfirmation, which writes the receipt.
        foreach (var message in messages)
        {
            using var confirmed = await InvokeRawAsync("SendConfirmation", AzureTestDriver.QueuePayload(message), "inv-confirm-" + Guid.NewGuid().ToString("N"));
            Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        }

        // Event Grid delivers at least once: the same event again places nothing and queues nothing (the orders are confirmed).
        var again = await InvokeAsync("ImportOrders", blobCreated, "inv-import-2");
        Assert.False(again.TryGetProperty("outOrderPlaced", out var resent) && resent.GetArrayLength() > 0, again.GetRawText());
        listed = await ListAsync(customer);
        Assert.Equal(3, listed.Count);
        Assert.All(listed, o => Assert.Equal("confirmed", o.GetProperty("status").GetString()));

        var order = await _client.GetFromJsonAsync<JsonElement>($"/orders/{ids[1]}");
        var receiptUrl = order.GetProperty("receiptUrl").GetString()!;
        Assert.Contains("sig=", receiptUrl, StringComparison.Ordinal);
        using var browser = new HttpClient(); // no account key, as a browser following the link
        using (var receipt = await browser.GetAsync(receiptUrl))
        {
            Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
            var text = await receipt.Content.ReadAsStringAsync();
            Assert.Contains($"Receipt for order {ids[1]}", text, StringComparison.Ordinal);
            Assert.Contains("2 x B at 3", text, StringComparison.Ordinal);
        }

        using var tampered = await browser.GetAsync(receiptUrl.Replace($"{ids[1]}.txt", $"{ids[2]}.txt", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
    }

    [Fact]
    public async Task BlobCreatedEvent_OfAFileWithoutTheHeader_PlacesNothing_AndIsDone()
    {
        var name = $"batches/wrong-{Guid.NewGuid():N}.csv";
        var uploaded = await UploadAsync(name, "sku,customerId\nA,c-1\n");

        var outputs = await InvokeAsync("ImportOrders", BlobCreated(name, uploaded), "inv-import-bad");

        Assert.False(outputs.TryGetProperty("outOrderPlaced", out var sent) && sent.GetArrayLength() > 0, outputs.GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/orders/{ImportOrders.OrderIdOf(ImportOrders.Bucket, name, 2)}")).StatusCode);
    }

    private static async Task<(BlobContentInfo Info, int Size)> UploadAsync(string name, string csv)
    {
        var container = new BlobContainerClient(Azurite.ConnectionString, ImportOrders.Bucket);
        await container.CreateIfNotExistsAsync();
        var content = BinaryData.FromString(csv);
        var info = (await container.GetBlobClient(name).UploadAsync(content, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" } })).Value;
        return (info, content.ToMemory().Length);
    }

    /// <summary>The published Event Grid example of <c>Microsoft.Storage.BlobCreated</c>, about this blob in container <c>imports</c>, as the host's payload.</summary>
    private static string BlobCreated(string name, (BlobContentInfo Info, int Size) uploaded)
    {
        var e = JsonNode.Parse(Vectors.Text(Vectors.EventGridBlobCreated))!;
        e["id"] = Guid.NewGuid().ToString();
        e["subject"] = $"/blobServices/default/containers/{ImportOrders.Bucket}/blobs/{name}";
        e["eventTime"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        e["data"]!["eTag"] = uploaded.Info.ETag.ToString();
        e["data"]!["contentType"] = "text/csv";
        e["data"]!["contentLength"] = uploaded.Size;
        e["data"]!["url"] = $"http://127.0.0.1:10000/devstoreaccount1/{ImportOrders.Bucket}/{name}";
        return """{"Data":{"event":""" + e.ToJsonString() + """},"Metadata":{"sys":{"MethodName":"ImportOrders"}}}""";
    }

    private async Task<HttpResponseMessage> InvokeRawAsync(string function, string payload, string invocationId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", invocationId);
        return await _client.SendAsync(request);
    }

    /// <summary>Invokes a function as the host does; returns the answer's <c>Outputs</c> after checking it is a 200.</summary>
    private async Task<JsonElement> InvokeAsync(string function, string payload, string invocationId)
    {
        using var response = await InvokeRawAsync(function, payload, invocationId);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{function}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("Outputs").Clone();
    }

    private async Task<List<JsonElement>> ListAsync(string customer)
    {
        var page = await _client.GetFromJsonAsync<JsonElement>($"/orders?customerId={customer}");
        var list = page.GetProperty("orders").EnumerateArray().ToList();
        string? token = page.TryGetProperty("nextPageToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        while (token is not null)
        {
            page = await _client.GetFromJsonAsync<JsonElement>($"/orders?customerId={customer}&pageToken={Uri.EscapeDataString(token)}");
            list.AddRange(page.GetProperty("orders").EnumerateArray());
            token = page.TryGetProperty("nextPageToken", out next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }

        return list;
    }
}
