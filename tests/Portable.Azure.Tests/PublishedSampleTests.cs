using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portable.Azure.Bindings;
using Portable.Testing;

namespace Portable.Azure.Tests;

/// <summary>
/// The artefact as it is deployed: <c>dotnet publish samples/Orders -r linux-x64 -p:PortableTarget=azure</c> (Native AOT), its
/// deployment files, and the published handler answering a non-forwarded PlaceOrder with its queue output (tables on Azurite).
/// </summary>
public sealed class PublishedSampleTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "portable-azure-publish-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output)) Directory.Delete(_output, recursive: true);
    }

    [Fact]
    public async Task PublishedSample_DeclaresPlaceOrdersQueueOutput_AndItsHandlerAnswersIt()
    {
        var log = await RunAsync("dotnet", "publish", "samples/Orders", "-c", "Release", "-r", "linux-x64", "-p:PortableTarget=azure", "-o", _output, "-nologo");

        Assert.DoesNotMatch(new Regex(@"\bIL[23]\d{3}\b"), log);
        using var placeOrder = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "PlaceOrder", "function.json")));
        var output = Assert.Single(placeOrder.RootElement.GetProperty("bindings").EnumerateArray(), b => b.GetProperty("type").GetString() == "queue");
        Assert.Equal("outOrderPlaced", output.GetProperty("name").GetString());
        Assert.Equal("order-placed", output.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", output.GetProperty("connection").GetString());

        var port = PublishedSample.FreePort();
        var start = new ProcessStartInfo(Path.Combine(_output, "Orders")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _output };
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AzureWebJobsStorage"] = Azurite.ConnectionString;
        using var handler = Process.Start(start)!;
        handler.OutputDataReceived += (_, _) => { };
        handler.ErrorDataReceived += (_, _) => { };
        handler.BeginOutputReadLine();
        handler.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUpAsync(client);
            var payload = AzureTestDriver.HttpPayload("POST", "https://orders.azurewebsites.net/orders", """{"customerId":"c-aot","items":[{"sku":"A","quantity":1,"unitPrice":3}]}""");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/PlaceOrder") { Content = new StringContent(payload, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Azure-Functions-InvocationId", "inv-aot");
            var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var outputs = answer.RootElement.GetProperty("Outputs");
            Assert.Equal("201", outputs.GetProperty("res").GetProperty("statusCode").GetString());
            var id = JsonDocument.Parse(outputs.GetProperty("res").GetProperty("body").GetString()!).RootElement.GetProperty("orderId").GetString();
            Assert.Equal([$$"""{"orderId":"{{id}}"}"""], outputs.GetProperty("outOrderPlaced").EnumerateArray().Select(m => QueueMessageTrace.Strip(m.GetString()!)));
        }
        finally
        {
            handler.Kill();
            await handler.WaitForExitAsync();
        }
    }

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = PublishedSample.RepoRoot() };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var log = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, log);
        return log;
    }

    private static async Task WaitUpAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline) throw new TimeoutException("The published handler did not answer GET / within 30 s.");
            await Task.Delay(100);
        }
    }
}
