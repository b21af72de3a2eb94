using System.Globalization;
using Portable.Fuzz.Tests.Fixtures;
using Portable.Fuzz.Tests.Fuzzing;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Fuzz.Tests;

/// <summary>
/// The published GCP host of the Orders sample while Portable.Gcp has no Cloud Storage store (it comes with branch gcs15): a
/// function that uses no bucket serves, and one that uses a bucket answers each request with a 500 and a log line that names the
/// bucket and the reason, and goes on serving. The fuzz suite leaves the bucket functions out on GCP for this reason; when the
/// store lands, this class goes and the GCP fuzz host runs them too.
/// </summary>
[Collection("hosts")]
public sealed class GcpBucketFunctionTests
{
    [Fact]
    public async Task BucketFunction_WithoutACloudStorageStore_Answers500NamingTheBucket_AndKeepsServing_WhileListOrdersServes()
    {
        var executable = PublishedHost.Executable("gcp", await PublishedHost.GetAsync("gcp"));
        var catalog = await PublishedCatalog.ReadAsync(executable);
        Assert.Equal(["receipts"], catalog.Single(f => f.Name == "GetOrder").Buckets);
        Assert.Empty(catalog.Single(f => f.Name == "ListOrders").Buckets);
        await using var google = await FakeGoogleApis.StartAsync();
        using var getOrder = await StartAsync(executable, "GetOrder", google);
        using var listOrders = await StartAsync(executable, "ListOrders", google);

        var listed = await RawHttp.SendAsync(listOrders.Port, RawHttp.Request("GET", "/orders?customerId=c-1"), FuzzHost.Timeout);
        Assert.Equal(200, listed?.Status);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var got = await RawHttp.SendAsync(getOrder.Port, RawHttp.Request("GET", "/orders/o-1"), FuzzHost.Timeout);
            Assert.NotNull(got);
            Assert.Equal(500, got.Status);
            Assert.DoesNotContain("receipts", got.BodyText(), StringComparison.Ordinal); // the cause is for the log, not the caller
        }

        Assert.False(getOrder.Process.HasExited, getOrder.Process.Tail(20));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!getOrder.Process.Output.Any(IsTheCause) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(getOrder.Process.Output.Any(IsTheCause), "no log line names the bucket and the reason:\n" + getOrder.Process.Tail(30));

        // Cloud Logging's JSON lines (the message escapes its quotes as \u0027): the exception is in the failure's message.
        static bool IsTheCause(string line)
        {
            var message = line;
            if (line.StartsWith('{'))
            {
                try
                {
                    message = System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("message").GetString() ?? "";
                }
                catch (System.Text.Json.JsonException)
                {
                }
            }

            return message.Contains("The bucket 'receipts' was asked for as an IBlobStore", StringComparison.Ordinal)
                && message.Contains("no Cloud Storage store yet", StringComparison.Ordinal);
        }
    }

    private static async Task<Started> StartAsync(string executable, string function, FakeGoogleApis google)
    {
        var port = HostProcess.FreePort();
        var process = HostProcess.Start("GCP " + function, executable, new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["FUNCTION_TARGET"] = function,
            ["GOOGLE_CLOUD_PROJECT"] = "test-project",
            ["FIRESTORE_EMULATOR_HOST"] = google.HostAndPort,
            ["PUBSUB_EMULATOR_HOST"] = google.HostAndPort,
        });
        await process.WaitForPortAsync(port, TimeSpan.FromSeconds(30));
        return new Started(process, port);
    }

    private sealed record Started(HostProcess Process, int Port) : IDisposable
    {
        public void Dispose() => Process.Dispose();
    }
}
