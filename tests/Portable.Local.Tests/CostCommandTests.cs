using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Orders;
using Portable.Local.Cost;

namespace Portable.Local.Tests;

/// <summary>The acceptance line: after 100 orders placed locally, <c>--cost --requests 10000000</c> prints a monthly figure per cloud and the break-even volume, from the measured durations.</summary>
public sealed partial class CostCommandTests : IDisposable
{
    private const string ValidOrder = """{"customerId":"c-1","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}""";
    private static readonly string[] Platforms = ["AWS Lambda (x86_64)", "AWS Lambda (arm64)", "Google Cloud Run functions", "Azure Functions (Flex Consumption)"];
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("portable-cost-");

    public void Dispose() => _data.Delete(recursive: true);

    [Fact]
    public async Task After100OrdersPlacedLocally_CostPrintsAMonthlyFigurePerCloudAndTheBreakEven_FromTheMeasuredDurations()
    {
        await PlaceOrdersAsync(100);

        var output = RunCost("--cost", "--requests", "10000000");

        var usage = UsageDocument.Load(_data.FullName); // what the stopped host saved: the measured numbers the table must use
        var prices = PriceList.Load(null, Directory.CreateTempSubdirectory().FullName);
        var measured = Rows(output, "Function  Trigger").ToDictionary(r => r[0]);
        var projection = Rows(output, "Function  Platform").ToList();
        Assert.Contains("10,000,000 requests a month", output, StringComparison.Ordinal);
        Assert.Contains("'instance-30' at $30.00 a month", output, StringComparison.Ordinal);
        foreach (var function in new[] { "PlaceOrder", "SendConfirmation", "AuditConfirmation" })
        {
            var use = usage.Functions[function];
            Assert.Equal(100, use.Invocations);
            Assert.Equal("100", measured[function][2]);
            Assert.Equal(use.P50Ms!.Value, Number(measured[function][3]), Tolerance(use.P50Ms.Value));
            Assert.Equal(use.P95Ms!.Value, Number(measured[function][4]), Tolerance(use.P95Ms.Value));
            Assert.Equal("256", measured[function][6]); // the catalog's default memory setting
            var rows = projection.Where(r => r[0] == function).ToDictionary(r => r[1]);
            Assert.Equal(Platforms, rows.Keys);
            foreach (var platform in prices.Platforms)
            {
                var row = rows[platform.Name];
                var perRequest = CostModel.PerRequest(platform, 256, use.MeanMs!.Value);
                Assert.Equal(10_000_000 * perRequest, Number(row[4]), 0.0051);
                Assert.Equal(30 / perRequest, Number(row[6]), 0.51);
            }

            // Lambda x86_64 by hand: the mean rounded up to the millisecond, 256 MB = 0.25 GB, list prices.
            var lambdaMonthly = 10_000_000 * (0.20 / 1e6 + Math.Ceiling(use.MeanMs!.Value) / 1000 * 0.25 * 0.0000166667);
            Assert.Equal(lambdaMonthly, Number(rows["AWS Lambda (x86_64)"][4]), 0.0051);
        }

        Assert.Matches(@"Not priced, never invoked while measured: .*GetOrder", output);
    }

    [Fact]
    public void CostWithNothingMeasured_SaysHowToGetMeasurements()
    {
        var output = RunCost("--cost");

        Assert.Contains("No measurements of Orders yet", output, StringComparison.Ordinal);
        Assert.Contains("--cost [--requests N]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Platform", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cost_WithFreeTiersAndAnotherContainer_UsesThem()
    {
        await PlaceOrdersAsync(3);
        File.WriteAllText(Path.Combine(_data.FullName, "prices.json"), """{"containers":[{"name":"big","monthlyUsd":300}]}""");

        var output = RunCost(["--cost", "--free-tiers", "--container", "big", "--requests", "1M"],
            ("Portable:Local:Cost:PricesFile", Path.Combine(_data.FullName, "prices.json")));

        Assert.Contains("free tiers deducted", output, StringComparison.Ordinal);
        Assert.Contains("'big' at $300.00 a month", output, StringComparison.Ordinal);
        // 1 M requests a month is inside every free tier but Flex Consumption's 250,000 executions
        var lambda = Rows(output, "Function  Platform").First(r => r[1] == "AWS Lambda (arm64)");
        Assert.Equal("0.00", lambda[4]);
    }

    private async Task PlaceOrdersAsync(int count)
    {
        var app = Build([]);
        var web = LocalHost.Build(app, configureOptions: o =>
        {
            o.Port = 0;
            o.RunSchedules = false;
        });
        await web.StartAsync();
        try
        {
            var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            for (var i = 0; i < count; i++)
            {
                var response = await client.PostAsync("/orders", new StringContent(ValidOrder, Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }

            var recorder = web.Services.GetRequiredService<UsageRecorder>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (recorder.Snapshot().Functions.GetValueOrDefault("AuditConfirmation")?.Invocations != count)
            {
                Assert.True(DateTime.UtcNow < deadline, "the orders were not confirmed and audited in time");
                await Task.Delay(20);
            }
        }
        finally
        {
            await web.StopAsync(); // saves usage.json
            await web.DisposeAsync();
        }
    }

    private string RunCost(params string[] args) => RunCost(args, []);

    private string RunCost(string[] args, params (string Key, string Value)[] settings)
    {
        var app = Build(args, settings);
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        CostCommand.Run(app, output);
        return output.ToString();
    }

    private PortableApp Build(string[] args, params (string Key, string Value)[] settings)
    {
        var builder = PortableApp.CreateBuilder(args);
        builder.Configuration["Portable:Local:DataDirectory"] = _data.FullName;
        foreach (var (key, value) in settings) builder.Configuration[key] = value;
        OrdersApp.Configure(builder);
        return builder.Build();
    }

    /// <summary>The rows of the table whose header starts with <paramref name="header"/>, split on the two-space column gaps.</summary>
    private static IEnumerable<string[]> Rows(string output, string header)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(l => string.Join("  ", Columns().Split(l.Trim()).Take(2)) == header);
        Assert.True(start >= 0, $"no table headed '{header}' in:\n{output}");
        return lines.Skip(start + 1).TakeWhile(l => l.Length > 0).Select(l => Columns().Split(l.Trim()));
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    /// <summary>The table prints two decimals under 10 ms and one above.</summary>
    private static double Tolerance(double ms) => ms < 10 ? 0.0051 : 0.051;

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Columns();
}
