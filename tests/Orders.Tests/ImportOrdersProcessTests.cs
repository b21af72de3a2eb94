using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Orders.Tests;

/// <summary>
/// Issue #15's local acceptance on the real sample process: a CSV uploaded to bucket <c>imports</c> through the local host becomes
/// confirmed orders, listed by customer; the same file again places none twice; the receipt downloads through the signed URL of
/// <c>GET /orders/{id}</c>, and a changed or expired URL answers 403.
/// </summary>
[Collection("processes")]
public sealed class ImportOrdersProcessTests
{
    [Fact]
    public async Task UploadedCsv_BecomesThreeConfirmedOrders_OnceEvenUploadedTwice_WithADownloadableReceipt()
    {
        var data = SampleProcessTests.NewDataDir();
        // Receipt URLs live 2 s here (Orders:ReceiptUrlLifetime), so the expiry is seen without a long wait.
        using var sample = await SampleProcess.StartAsync("dotnet", SampleProcess.DllPath(), data,
            environment: new Dictionary<string, string> { ["Orders__ReceiptUrlLifetime"] = "00:00:02" });
        var customer = "c-import-" + Guid.NewGuid().ToString("N")[..8];
        var csv = $"customerId,sku,quantity,unitPrice\n{customer},A,1,10.50\n{customer},B,2,3\n{customer},C,3,0.25\n";

        using (var put = await sample.Client.PutAsync("/_portable/buckets/imports/objects/batches/day%201.csv", new StringContent(csv, Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var orders = await WaitForAsync(sample, customer, list => list.Count == 3 && list.All(o => o.GetProperty("status").GetString() == "confirmed"), TimeSpan.FromSeconds(5));
        Assert.Equal(["A", "B", "C"], orders.Select(o => o.GetProperty("items")[0].GetProperty("sku").GetString()).Order());

        // The same file again: its import runs (the log line says so) and places none of its lines a second time.
        using (var again = await sample.Client.PutAsync("/_portable/buckets/imports/objects/batches/day%201.csv", new StringContent(csv, Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }

        await WaitForOutputAsync(sample, "Imported batches/day 1.csv: 0 order(s) placed, 3 placed before");
        Assert.Equal(3, (await ListAsync(sample, customer)).Count);

        var id = orders[0].GetProperty("orderId").GetString()!;
        var order = await sample.Client.GetFromJsonAsync<JsonElement>($"/orders/{id}");
        var receiptUrl = new Uri(order.GetProperty("receiptUrl").GetString()!);
        using var browser = new HttpClient(); // no credentials, as a browser following the link
        using (var receipt = await browser.GetAsync(receiptUrl))
        {
            Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
            Assert.Contains($"Receipt for order {id}", await receipt.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var url = receiptUrl.ToString();
        using (var tampered = await browser.GetAsync(url[..^1] + (url[^1] == '0' ? '1' : '0')))
        {
            Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(System.Web.HttpUtility.ParseQueryString(receiptUrl.Query)["expires"]!, System.Globalization.CultureInfo.InvariantCulture));
        HttpStatusCode expired;
        do
        {
            await Task.Delay(100); // polls until the URL's own expiry (2 s after it was made), then sees it refused
            using var late = await browser.GetAsync(receiptUrl);
            expired = late.StatusCode;
        }
        while (expired == HttpStatusCode.OK && DateTimeOffset.UtcNow < expiresAt.AddSeconds(5));

        Assert.Equal(HttpStatusCode.Forbidden, expired);
        Assert.True(sample.Stop(), "The sample did not stop on SIGTERM.");
    }

    private static async Task<List<JsonElement>> ListAsync(SampleProcess sample, string customer)
    {
        var list = new List<JsonElement>();
        string? token = null;
        do
        {
            var page = await sample.Client.GetFromJsonAsync<JsonElement>($"/orders?customerId={customer}" + (token is null ? "" : $"&pageToken={Uri.EscapeDataString(token)}"));
            list.AddRange(page.GetProperty("orders").EnumerateArray());
            token = page.TryGetProperty("nextPageToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null);

        return list;
    }

    private static async Task<List<JsonElement>> WaitForAsync(SampleProcess sample, string customer, Func<List<JsonElement>, bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var list = await ListAsync(sample, customer);
        while (!condition(list))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Within {within.TotalSeconds} s the orders of {customer} were: {JsonSerializer.Serialize(list)}\n{string.Join('\n', sample.Output)}");
            await Task.Delay(50);
            list = await ListAsync(sample, customer);
        }

        return list;
    }

    private static async Task WaitForOutputAsync(SampleProcess sample, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!sample.Output.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The sample never logged '{text}':\n{string.Join('\n', sample.Output)}");
            await Task.Delay(50);
        }
    }
}
