using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Orders;
using Portable.Azure.Bindings;
using Portable.Azure.Data;
using Portable.Testing;

namespace Portable.Azure.Tests;

/// <summary>
/// The Orders app as a custom handler on Kestrel, with Table Storage and Storage Queues on Azurite and Event Grid on an in-test
/// server: forwarded POST /orders → Table entity → Storage Queue message → a queue-trigger payload built from that message →
/// SendConfirmation → the notification captured → order confirmed (and audited from the captured event). Not forwarded (as the host
/// calls PlaceOrder, since it declares a queue output), POST /PlaceOrder answers the message as that output instead of sending it.
/// </summary>
public sealed class OrdersFlowTests : IAsyncLifetime
{
    private const string ValidOrder = """{"customerId":"c-1","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}""";
    private CaptureServer _eventGrid = null!;
    private RunningHandler _handler = null!;

    public async Task InitializeAsync()
    {
        _eventGrid = await CaptureServer.StartAsync();
        _handler = await RunningHandler.StartAsync(OrdersApp.Configure, new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Portable:Azure:Topics:order-confirmations:Endpoint"] = new Uri(_eventGrid.Address, "/api/events").ToString(),
            ["Portable:Azure:Topics:order-confirmations:Key"] = "test-key",
        });
    }

    public async Task DisposeAsync()
    {
        await _handler.DisposeAsync();
        await _eventGrid.DisposeAsync();
    }

    [Fact]
    public async Task PlacedOrder_IsStoredQueuedConfirmedFromTheQueuePayload_AndNotifiedOnce()
    {
        var placed = await _handler.Client.PostAsync("/orders", new StringContent(ValidOrder, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var id = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString()!;

        var entity = await ReadEntityAsync("orders", id);
        Assert.Equal("placed", JsonDocument.Parse(entity.GetProperty("Body").GetString()!).RootElement.GetProperty("status").GetString());

        var message = await ReceiveAsync("order-placed", id);
        Assert.Equal($$"""{"orderId":"{{id}}"}""", QueueMessageTrace.Strip(message.Body.ToString()));
        var payload = AzureTestDriver.QueuePayload(message.Body.ToString(), (int)message.DequeueCount, message.MessageId, message.InsertedOn);

        var invoked = await _handler.InvokeAsync("SendConfirmation", payload, "inv-confirm-1");
        Assert.True(invoked.StatusCode == HttpStatusCode.OK, await invoked.Content.ReadAsStringAsync());
        using (var answer = JsonDocument.Parse(await invoked.Content.ReadAsStringAsync()))
        {
            Assert.Equal(JsonValueKind.Object, answer.RootElement.GetProperty("Outputs").ValueKind);
        }

        var published = Assert.Single(_eventGrid.Requests);
        Assert.Equal("test-key", published.Headers["aeg-sas-key"]);
        using var events = JsonDocument.Parse(published.Body);
        var cloudEvent = events.RootElement[0];
        Assert.Equal(id, cloudEvent.GetProperty("data").GetProperty("orderId").GetString());
        Assert.Equal($"order-confirmed-{id}", cloudEvent.GetProperty("id").GetString());

        var order = await _handler.Client.GetFromJsonAsync<JsonElement>($"/orders/{id}");
        Assert.Equal("confirmed", order.GetProperty("status").GetString());

        // The same message delivered again (DequeueCount 2) finds the order confirmed: no second notification.
        var again = await _handler.InvokeAsync("SendConfirmation", AzureTestDriver.QueuePayload(message.Body.ToString(), 2, message.MessageId, message.InsertedOn), "inv-confirm-2");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(_eventGrid.Requests);

        // Event Grid would deliver the captured event to the AuditConfirmation subscription.
        var audited = await _handler.InvokeAsync("AuditConfirmation", """{"Data":{"event":""" + cloudEvent.GetRawText() + """},"Metadata":{}}""", "inv-audit");
        Assert.Equal(HttpStatusCode.OK, audited.StatusCode);
        var audit = await ReadEntityAsync("audits", id);
        Assert.Contains("c-1", audit.GetProperty("Body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaceOrderNotForwarded_AnswersTheOrderPlacedAsAQueueOutput_WhichTheHostWrites_ThenTheFlowGoesOn()
    {
        var queue = new QueueClient(Azurite.ConnectionString, "order-placed", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        var queuedBefore = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        var payload = AzureTestDriver.HttpPayload("POST", "https://orders.azurewebsites.net/orders", ValidOrder);
        var invoked = await _handler.InvokeAsync("PlaceOrder", payload, "inv-place-1");

        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        using var answer = JsonDocument.Parse(await invoked.Content.ReadAsStringAsync());
        var outputs = answer.RootElement.GetProperty("Outputs");
        var res = outputs.GetProperty("res");
        Assert.Equal("201", res.GetProperty("statusCode").GetString());
        var id = JsonDocument.Parse(res.GetProperty("body").GetString()!).RootElement.GetProperty("orderId").GetString()!;
        var written = Assert.Single(outputs.GetProperty("outOrderPlaced").EnumerateArray()).GetString()!;
        Assert.Equal($$"""{"orderId":"{{id}}"}""", QueueMessageTrace.Strip(written));
        Assert.Equal(queuedBefore, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        // Play the host: its queue output writes the message (base64, the queues extension's default encoding).
        await queue.SendMessageAsync(written);
        var message = await ReceiveAsync("order-placed", id);
        var confirmed = await _handler.InvokeAsync("SendConfirmation", AzureTestDriver.QueuePayload(message.Body.ToString(), (int)message.DequeueCount, message.MessageId, message.InsertedOn), "inv-confirm-3");

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var order = await _handler.Client.GetFromJsonAsync<JsonElement>($"/orders/{id}");
        Assert.Equal("confirmed", order.GetProperty("status").GetString());
        Assert.Contains(_eventGrid.Requests, r => r.Body.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForwardedHello_AndMissingOrder_AnswerLikeLocal()
    {
        Assert.Equal("Hello, Ada", await _handler.Client.GetStringAsync("/hello?name=Ada"));
        Assert.Equal(HttpStatusCode.NotFound, (await _handler.Client.GetAsync("/orders/o-missing")).StatusCode);
    }

    [Fact]
    public async Task InvalidOrder_Answers400Problem_AndQueuesNothingForIt()
    {
        var response = await _handler.Client.PostAsync("/orders", new StringContent("""{"customerId":"c-1","items":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task QueuePayloadForAMissingOrder_FailsSoTheHostRetries()
    {
        var response = await _handler.InvokeAsync("SendConfirmation", AzureTestDriver.QueuePayload("""{"orderId":"o-never"}"""), "inv-missing");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(_eventGrid.Requests);
    }

    private static async Task<JsonElement> ReadEntityAsync(string repository, string id)
    {
        var tables = Azurite.Clients().Tables;
        using var response = await tables.SendAsync(HttpMethod.Get, TableStorageClient.EntityResource(TableRepository<Order>.TableName(repository), id, ""), null, null, null, default);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>Receives the message on <paramref name="queue"/> that names <paramref name="orderId"/>, waiting up to 10 s.</summary>
    internal static async Task<QueueMessage> ReceiveAsync(string queue, string orderId)
    {
        var client = new QueueClient(Azurite.ConnectionString, queue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var message in (await client.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value)
            {
                if (message.Body.ToString().Contains(orderId, StringComparison.Ordinal)) return message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No message for {orderId} on {queue}.");
    }
}
