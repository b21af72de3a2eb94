using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Orders.Tests;

/// <summary>The issue's acceptance lines, tried on the real sample process.</summary>
[Collection("processes")]
public sealed class SampleProcessTests
{
    private const string ValidOrder = """{"customerId":"c-1","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}""";

    [Fact]
    public async Task DotnetRun_ServesOnPort_ConfirmsOrders_AndRejectsBadOnes()
    {
        var data = NewDataDir();
        using var sample = await SampleProcess.StartAsync("dotnet", SampleProcess.DllPath(), data);

        Assert.Equal("Hello, Ada", await sample.Client.GetStringAsync("/hello?name=Ada"));
        var posted = await sample.Client.PostAsync("/orders", new StringContent(ValidOrder, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!;
        Assert.True(await WaitConfirmedAsync(sample.Client, [id], TimeSpan.FromSeconds(5)), "The order was not confirmed within 5 s.");

        var invalid = await sample.Client.PostAsync("/orders", new StringContent("""{"customerId":"c-1","items":[]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True(sample.Stop(), "The sample did not stop on SIGTERM.");
        Assert.True(File.Exists(Path.Combine(data, "portable.db")));
    }

    [Fact]
    public async Task Kill9RightAfter200Orders_RestartConfirmsEveryAcceptedOrderOnce()
    {
        var data = NewDataDir();
        var accepted = new List<string>();
        string firstRun;
        using (var first = await SampleProcess.StartAsync("dotnet", SampleProcess.DllPath(), data))
        {
            var gate = new SemaphoreSlim(8);
            var posts = Enumerable.Range(0, 200).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var response = await first.Client.PostAsync("/orders", new StringContent(ValidOrder.Replace("c-1", $"c-{i}", StringComparison.Ordinal), Encoding.UTF8, "application/json"));
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!;
                }
                finally
                {
                    gate.Release();
                }
            });
            accepted.AddRange(await Task.WhenAll(posts));
            first.Kill();
            firstRun = string.Join('\n', first.Output);
        }

        Assert.Equal(200, accepted.Distinct().Count());
        using var second = await SampleProcess.StartAsync("dotnet", SampleProcess.DllPath(), data);
        Assert.True(await WaitConfirmedAsync(second.Client, accepted, TimeSpan.FromSeconds(30)), "Not every accepted order was confirmed within 30 s of the restart.");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (AuditCount(data) < 200 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.True(second.Stop(), "The sample did not stop on SIGTERM.");

        // Each order is confirmed once: one audit entry each, and no order's confirmation logged twice across both runs.
        Assert.Equal(200, AuditCount(data));
        var audited = Regex.Matches(firstRun + "\n" + string.Join('\n', second.Output), @"AUDIT order (o-[0-9a-f]+)").Select(m => m.Groups[1].Value).ToList();
        Assert.All(audited.GroupBy(a => a), g => Assert.Single(g));
        Assert.All(audited, a => Assert.Contains(a, accepted));
    }

    [Fact]
    public async Task Describe_PrintsTheCatalogAndExits()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(SampleProcess.DllPath());
        info.ArgumentList.Add("--describe");
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(30_000));
        Assert.Equal(0, process.ExitCode);
        using var catalog = JsonDocument.Parse(output);
        var functions = catalog.RootElement.GetProperty("functions").EnumerateArray().ToList();
        Assert.Equal(8, functions.Count);
        var place = functions.Single(f => f.GetProperty("name").GetString() == "PlaceOrder");
        Assert.Equal("http", place.GetProperty("trigger").GetProperty("kind").GetString());
        Assert.Equal("POST", place.GetProperty("trigger").GetProperty("method").GetString());
        Assert.Equal("/orders", place.GetProperty("trigger").GetProperty("route").GetString());
        Assert.Equal("PlaceOrderRequest", place.GetProperty("input").GetString());
        Assert.Equal("OrderView", place.GetProperty("output").GetString());
        Assert.Equal(["order-placed"], place.GetProperty("sends").EnumerateArray().Select(q => q.GetString()));
        var import = functions.Single(f => f.GetProperty("name").GetString() == "ImportOrders");
        Assert.Equal("blob", import.GetProperty("trigger").GetProperty("kind").GetString());
        Assert.Equal(["order-placed"], import.GetProperty("sends").EnumerateArray().Select(q => q.GetString()));
        Assert.All(functions.Where(f => f.GetProperty("name").GetString() is not ("PlaceOrder" or "ImportOrders")), f => Assert.False(f.TryGetProperty("sends", out _)));
        Assert.Contains(catalog.RootElement.GetProperty("queues").EnumerateArray(), q => q.GetProperty("name").GetString() == "order-placed");
    }

    internal static string NewDataDir() => Path.Combine(Path.GetTempPath(), "portable-sample-" + Guid.NewGuid().ToString("N"));

    private static async Task<bool> WaitConfirmedAsync(HttpClient client, IReadOnlyCollection<string> ids, TimeSpan within)
    {
        var pending = new HashSet<string>(ids);
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var id in pending.ToList())
            {
                var order = await client.GetFromJsonAsync<JsonElement>($"/orders/{id}");
                if (order.GetProperty("status").GetString() == "confirmed") pending.Remove(id);
            }

            if (pending.Count == 0) return true;
            await Task.Delay(100);
        }

        return false;
    }

    private static long AuditCount(string data)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "portable.db")};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM documents WHERE collection = 'audits'";
        return (long)command.ExecuteScalar()!;
    }
}
