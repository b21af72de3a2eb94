using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portable.Azure.Bindings;
using Portable.Azure.Deployment;

namespace Portable.Azure.Tests;

/// <summary>host.json, function.json and local.settings.json written from the Orders catalog, compared with Microsoft's samples.</summary>
public sealed class DeploymentTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "portable-azure-deploy-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static PortableApp OrdersApp()
    {
        var builder = PortableApp.CreateBuilder([]);
        Orders.OrdersApp.Configure(builder);
        return builder.Build();
    }

    private async Task<string> WriteAsync(AzureOptions? options = null)
    {
        await AzureDeploymentWriter.WriteAsync(OrdersApp().Catalog, options ?? new AzureOptions(), "Orders", _folder, CancellationToken.None);
        return _folder;
    }

    private JsonElement Read(string relative)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, relative)));
        return document.RootElement.Clone();
    }

    private static JsonElement Binding(JsonElement functionJson, string direction) => functionJson.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == direction);

    private static List<JsonElement> Bindings(JsonElement functionJson, string type) => functionJson.GetProperty("bindings").EnumerateArray().Where(b => b.GetProperty("type").GetString() == type).ToList();

    [Fact]
    public async Task HostJson_IsVersion2_WithTheCustomHandlerExecutable_ForwardingAndBundle4()
    {
        await WriteAsync();
        var host = Read("host.json");

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal("Orders", host.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.True(host.GetProperty("customHandler").GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host.GetProperty("extensionBundle").GetProperty("id").GetString());
        Assert.Equal("[4.*, 5.0.0)", host.GetProperty("extensionBundle").GetProperty("version").GetString());
        Assert.Equal("", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Theory]
    [InlineData("copied/Azure-Samples__functions-custom-handlers/go/host.json")]
    [InlineData("copied/Azure__azure-functions-host/sample/CustomHandler/host.json")]
    public async Task HostJson_HasEveryCustomHandlerKeyOfMicrosoftsSamples(string sample)
    {
        await WriteAsync();
        var ours = Read("host.json");
        var theirs = Vectors.Json(sample);

        Assert.Equal(theirs.GetProperty("version").GetString(), ours.GetProperty("version").GetString());
        foreach (var key in theirs.GetProperty("customHandler").EnumerateObject().Select(p => p.Name))
            Assert.True(ours.GetProperty("customHandler").TryGetProperty(key, out _), $"customHandler.{key} is missing");
        foreach (var key in theirs.GetProperty("customHandler").GetProperty("description").EnumerateObject().Select(p => p.Name))
            Assert.True(ours.GetProperty("customHandler").GetProperty("description").TryGetProperty(key, out _), $"customHandler.description.{key} is missing");
    }

    [Fact]
    public async Task HostJson_WithForwardingOff_SaysSo()
    {
        var options = new AzureOptions { ForwardHttpRequests = false };
        await WriteAsync(options);

        Assert.False(Read("host.json").GetProperty("customHandler").GetProperty("enableForwardingHttpRequest").GetBoolean());
    }

    [Fact]
    public async Task EveryOrdersFunction_HasAFolderWithAFunctionJson_NamingItsTrigger()
    {
        await WriteAsync();
        var expected = new Dictionary<string, string>
        {
            ["PlaceOrder"] = "httpTrigger",
            ["GetOrder"] = "httpTrigger",
            ["ListOrders"] = "httpTrigger",
            ["ImportOrders"] = "eventGridTrigger",
            ["Hello"] = "httpTrigger",
            ["SendConfirmation"] = "queueTrigger",
            ["ExpireUnconfirmed"] = "timerTrigger",
            ["AuditConfirmation"] = "eventGridTrigger",
        };

        foreach (var (function, trigger) in expected)
        {
            var json = Read(Path.Combine(function, "function.json"));
            Assert.Equal(trigger, Binding(json, "in").GetProperty("type").GetString());
        }

        Assert.Equal(expected.Keys.Order(), Directory.GetDirectories(_folder).Select(Path.GetFileName).Order()!);
    }

    [Fact]
    public async Task HttpFunctionJson_HasTheTriggerAndHttpOutput_LikeTheHostsSample()
    {
        await WriteAsync();
        var ours = Read("PlaceOrder/function.json");
        var sample = Vectors.Json("copied/Azure__azure-functions-host/sample/CustomHandler/HttpTrigger/function.json");

        var trigger = Binding(ours, "in");
        var output = Assert.Single(Bindings(ours, "http"));
        Assert.Equal(Binding(sample, "in").GetProperty("name").GetString(), trigger.GetProperty("name").GetString());
        Assert.Equal(Binding(sample, "out").GetProperty("type").GetString(), output.GetProperty("type").GetString());
        Assert.Equal(Binding(sample, "out").GetProperty("name").GetString(), output.GetProperty("name").GetString());
        Assert.Equal(["post"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("orders", trigger.GetProperty("route").GetString());
        Assert.Equal("function", trigger.GetProperty("authLevel").GetString());
        Assert.Equal("orders/{id}", Binding(Read("GetOrder/function.json"), "in").GetProperty("route").GetString());
        var list = Binding(Read("ListOrders/function.json"), "in");
        Assert.Equal("orders", list.GetProperty("route").GetString());
        Assert.Equal(["get", "head"], list.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task QueueFunctionJson_HasTheKeysOfTheSamplesQueueTrigger_AndTheConnectionSetting()
    {
        await WriteAsync();
        var trigger = Binding(Read("SendConfirmation/function.json"), "in");
        var sample = Vectors.Json("copied/Azure-Samples__functions-custom-handlers/go/QueueTriggerWithOutputs/function.json")
            .GetProperty("bindings").EnumerateArray().First(b => b.GetProperty("type").GetString() == "queueTrigger");

        Assert.Equal(sample.EnumerateObject().Select(p => p.Name).Order(), trigger.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("order-placed", trigger.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
    }

    [Fact]
    public async Task SendingHttpFunctionJson_HasAQueueOutputToTheSentQueue_WithTheSamplesKeysAndTheConnectionSetting()
    {
        await WriteAsync(new AzureOptions { StorageConnection = "OrdersStorage" });
        var placeOrder = Read("PlaceOrder/function.json");
        var sample = Vectors.Json("copied/Azure-Samples__functions-custom-handlers/go/QueueTriggerWithOutputs/function.json")
            .GetProperty("bindings").EnumerateArray().First(b => b.GetProperty("type").GetString() == "queue");

        var output = Assert.Single(Bindings(placeOrder, "queue"));
        Assert.Equal(sample.EnumerateObject().Select(p => p.Name).Order(), output.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("out", output.GetProperty("direction").GetString());
        Assert.Equal("outOrderPlaced", output.GetProperty("name").GetString());
        Assert.Equal("order-placed", output.GetProperty("queueName").GetString());
        Assert.Equal("OrdersStorage", output.GetProperty("connection").GetString());
        Assert.Equal(["httpTrigger", "http", "queue"], placeOrder.GetProperty("bindings").EnumerateArray().Select(b => b.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task OrdersImportFunctionJson_HasItsEventGridTriggerAndAQueueOutputToOrderPlaced()
    {
        await WriteAsync();
        var import = Read("ImportOrders/function.json");

        Assert.Equal(["eventGridTrigger", "queue"], import.GetProperty("bindings").EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        var output = Assert.Single(Bindings(import, "queue"));
        Assert.Equal("outOrderPlaced", output.GetProperty("name").GetString());
        Assert.Equal("order-placed", output.GetProperty("queueName").GetString());
    }

    [Fact]
    public async Task SendingQueueFunctionJson_HasItsQueueTriggerAndAQueueOutput()
    {
        var builder = PortableApp.CreateBuilder([]);
        SendingApp.Configure("items-out", "counters", new Gate(1))(builder);
        await AzureDeploymentWriter.WriteAsync(builder.Build().Catalog, new AzureOptions(), "App", _folder, CancellationToken.None);
        var relay = Read("Relay/function.json");

        Assert.Equal("relay-in", Assert.Single(Bindings(relay, "queueTrigger")).GetProperty("queueName").GetString());
        var output = Assert.Single(Bindings(relay, "queue"));
        Assert.Equal("outItemsOut", output.GetProperty("name").GetString());
        Assert.Equal("items-out", output.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", output.GetProperty("connection").GetString());
    }

    [Theory]
    [InlineData("GetOrder")]
    [InlineData("ListOrders")]
    [InlineData("Hello")]
    [InlineData("SendConfirmation")]
    [InlineData("ExpireUnconfirmed")]
    [InlineData("AuditConfirmation")]
    public async Task FunctionThatDeclaresNoSends_HasOnlyItsTriggerBindings(string function)
    {
        await WriteAsync();
        var bindings = Read(Path.Combine(function, "function.json")).GetProperty("bindings").EnumerateArray().ToList();

        Assert.DoesNotContain(bindings, b => b.GetProperty("type").GetString() == "queue");
        Assert.All(bindings.Where(b => b.GetProperty("direction").GetString() == "out"), b => Assert.Equal("http", b.GetProperty("type").GetString()));
    }

    [Theory]
    [InlineData("order-placed", "outOrderPlaced")]
    [InlineData("orders", "outOrders")]
    [InlineData("q-1-retry", "outQ1Retry")]
    [InlineData("Order_Placed.v2", "outOrderPlacedV2")]
    public void QueueOutputBindingName_IsOutAndTheQueueNamesPartsCapitalized(string queue, string binding)
    {
        Assert.Equal(binding, BindingNames.QueueOutput(queue));
        // The host's rule before 4.1038 (letters and digits, starting with a letter, at most 128), which later hosts also accept.
        Assert.Matches("^[a-zA-Z][a-zA-Z0-9]{0,127}$", BindingNames.QueueOutput(queue));
    }

    [Fact]
    public void TwoSentQueuesWithTheSameBindingName_AreRefusedNamingBoth()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AddJson(TestJson.Default);
        builder.Resources.AddQueue<QueueItem>("order-placed").AddQueue<Counter>("orderplaced");
        builder.Functions.MapHttp<Upper, Echo, Echo>("POST /upper").Sends<QueueItem>().Sends<Counter>();
        var function = builder.Build().Catalog.Get("Upper");

        var e = Assert.Throws<PortableConfigurationException>(() => BindingNames.QueueOutputs(function));

        Assert.Contains("'order-placed' and 'orderplaced'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Rename one of the queues", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimerFunctionJson_IsTheSamplesTimerTrigger_ForEveryFiveMinutes()
    {
        await WriteAsync();
        var trigger = Binding(Read("ExpireUnconfirmed/function.json"), "in");
        var sample = Binding(Vectors.Json("copied/Azure-Samples__functions-custom-handlers/go/TimerTrigger/function.json"), "in");

        Assert.Equal(sample.GetProperty("schedule").GetString(), trigger.GetProperty("schedule").GetString());
        Assert.Equal(sample.GetProperty("type").GetString(), trigger.GetProperty("type").GetString());
    }

    [Fact]
    public async Task EventFunction_WithABlobPath_GetsTheSamplesBlobTrigger()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AddJson(TestJson.Default);
        builder.Services.AddSingleton(new Probe());
        builder.Functions.MapEvent<OnBlobCreated>("Microsoft.Storage.BlobCreated", name: "OnBlob");
        var options = new AzureOptions();
        options.BlobTriggers["OnBlob"] = "uploads/{name}";
        await AzureDeploymentWriter.WriteAsync(builder.Build().Catalog, options, "App", _folder, CancellationToken.None);

        var trigger = Binding(Read("OnBlob/function.json"), "in");
        var sample = Binding(Vectors.Json("copied/Azure-Samples__functions-custom-handlers/go/BlobTrigger/function.json"), "in");
        Assert.Equal(sample.EnumerateObject().Select(p => p.Name).Order(), trigger.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("blobTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("uploads/{name}", trigger.GetProperty("path").GetString());
    }

    [Fact]
    public async Task LocalSettings_IsACustomRuntimeExample_WithTheStorageAndTopicSettings()
    {
        await WriteAsync();
        var values = Read("local.settings.json").GetProperty("Values");

        Assert.Equal("custom", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
        Assert.True(values.TryGetProperty("Portable__Azure__Topics__order_confirmations__Endpoint", out _));
    }

    [Theory]
    [InlineData("*/5 * * * *", "0 */5 * * * *")]
    [InlineData("0 3 * * 1-5", "0 0 3 * * 1-5")]
    [InlineData("30 2 1 * 7", "0 30 2 1 * 0")]
    [InlineData("0 0 * * 5-7", "0 0 0 * * 5-6,0")]
    [InlineData("15  4 *  * *", "0 15 4 * * *")]
    public void Cron_BecomesSixFieldNcrontab(string cron, string ncrontab) => Assert.Equal(ncrontab, Ncrontab.FromCron(cron));

    [Fact]
    public void CronWithSixFields_IsRefused() => Assert.Throws<PortableConfigurationException>(() => Ncrontab.FromCron("0 */5 * * * *"));
}
