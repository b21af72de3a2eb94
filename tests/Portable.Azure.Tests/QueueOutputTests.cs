using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Portable.Azure.Bindings;
using Portable.Testing;

namespace Portable.Azure.Tests;

/// <summary>
/// What a function that declares sends sends, through the custom handler on Kestrel with Storage Queues on Azurite: answered as
/// queue outputs for the host to write when the invocation succeeded, dropped when it failed, sent directly when it cannot be an
/// output (a delay, an undeclared queue, a forwarded request).
/// </summary>
public sealed class QueueOutputTests : IAsyncLifetime
{
    private readonly string _items = Azurite.UniqueName("items");
    private readonly string _counters = Azurite.UniqueName("counters");
    private readonly LogCapture _logs = new();
    private RunningHandler _handler = null!;

    public async Task InitializeAsync()
        => _handler = await RunningHandler.StartAsync(SendingApp.Configure(_items, _counters, new Gate(2)),
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = Azurite.ConnectionString }, _logs);

    public async Task DisposeAsync() => await _handler.DisposeAsync();

    [Fact]
    public async Task NonForwardedHttpInvocation_AnswersEverySentMessageAsTheQueueOutput_InOrder_AndSendsNothingItself()
    {
        var (status, outputs) = await InvokeSenderAsync("items=1,2&batch=3,4");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("200", outputs.GetProperty("res").GetProperty("statusCode").GetString());
        Assert.Equal(
            ["""{"orderId":1,"quantity":1}""", """{"orderId":2,"quantity":1}""", """{"orderId":3,"quantity":2}""", """{"orderId":4,"quantity":2}"""],
            Messages(outputs, _items));
        Assert.Empty(await PeekAsync(_items));
    }

    [Fact]
    public async Task DelayedSend_GoesToStorageDirectly_AndTheOthersIntoTheOutput()
    {
        var (_, outputs) = await InvokeSenderAsync("items=1&delayed=9");

        Assert.Equal(["""{"orderId":1,"quantity":1}"""], Messages(outputs, _items));
        Assert.Equal("""{"orderId":9,"quantity":3}""", await ReceiveAsync(_items));
    }

    [Fact]
    public async Task SendToAQueueTheFunctionDidNotDeclare_GoesToStorageDirectly()
    {
        var (_, outputs) = await InvokeSenderAsync("items=1&counters=5");

        Assert.Equal(["res", BindingNames.QueueOutput(_items)], outputs.EnumerateObject().Select(p => p.Name));
        Assert.Equal("""{"value":5}""", await ReceiveAsync(_counters));
    }

    [Fact]
    public async Task ForwardedRequest_HasNoOutputs_SoItsSendsGoToStorageDirectly()
    {
        var response = await _handler.Client.PostAsync("/send?items=7", new StringContent(""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("sent", await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"orderId":7,"quantity":1}""", await ReceiveAsync(_items));
    }

    [Fact]
    public async Task HttpFunctionThatFailsAfterSending_AnswersRes500WithoutQueueOutput_SendsNothing_AndLogsTheDrop()
    {
        var (status, outputs) = await InvokeSenderAsync("items=1,2&fail=1", "inv-fails");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("500", outputs.GetProperty("res").GetProperty("statusCode").GetString());
        Assert.Equal(["res"], outputs.EnumerateObject().Select(p => p.Name));
        Assert.Empty(await PeekAsync(_items));
        var line = Assert.Single(_logs.Lines, l => l.Message.Contains("dropped", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("Sender", line.Message, StringComparison.Ordinal);
        Assert.Contains("the 2 queue message(s)", line.Message, StringComparison.Ordinal);
        Assert.Contains("inv-fails", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpFunctionThatAnswers4xx_ReturnedNormally_SoItsQueueOutputIsWritten()
    {
        var (_, outputs) = await InvokeSenderAsync("items=1&status=422");

        Assert.Equal("422", outputs.GetProperty("res").GetProperty("statusCode").GetString());
        Assert.Equal(["""{"orderId":1,"quantity":1}"""], Messages(outputs, _items));
        Assert.DoesNotContain(_logs.Lines, l => l.Message.Contains("dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueueInvocation_AnswersItsSendsAsQueueOutput_AndWhenItFails_AnswersNon2xxWithout()
    {
        var succeeded = await _handler.InvokeAsync("Relay", AzureTestDriver.QueuePayload("""{"value":3}"""), "inv-relay-ok");
        var failed = await _handler.InvokeAsync("Relay", AzureTestDriver.QueuePayload("""{"value":-4}"""), "inv-relay-fail");

        Assert.Equal(HttpStatusCode.OK, succeeded.StatusCode);
        Assert.Equal(["""{"orderId":3,"quantity":5}"""], Messages(await OutputsAsync(succeeded), _items));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Empty((await OutputsAsync(failed)).EnumerateObject());
        Assert.Empty(await PeekAsync(_items));
        Assert.Contains(_logs.Lines, l => l.Message.Contains("inv-relay-fail", StringComparison.Ordinal) && l.Message.Contains("the 1 queue message(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoConcurrentInvocations_EachAnswerOnlyTheMessagesTheyThemselvesSent()
    {
        // Each sends one message, waits until the other is inside its function too, then sends another.
        var first = InvokeSenderAsync("items=10&gate=1&then=11", "inv-a");
        var second = InvokeSenderAsync("items=20&gate=1&then=21", "inv-b");
        var answers = await Task.WhenAll(first, second);

        Assert.Equal(["""{"orderId":10,"quantity":1}""", """{"orderId":11,"quantity":4}"""], Messages(answers[0].Outputs, _items));
        Assert.Equal(["""{"orderId":20,"quantity":1}""", """{"orderId":21,"quantity":4}"""], Messages(answers[1].Outputs, _items));
    }

    private async Task<(HttpStatusCode Status, JsonElement Outputs)> InvokeSenderAsync(string query, string invocationId = "inv-send")
    {
        var response = await _handler.InvokeAsync("Sender", AzureTestDriver.HttpPayload("POST", "https://app.azurewebsites.net/send?" + query), invocationId);
        return (response.StatusCode, await OutputsAsync(response));
    }

    private static async Task<JsonElement> OutputsAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("Outputs").Clone();
    }

    private static List<string?> Messages(JsonElement outputs, string queue)
        => outputs.GetProperty(BindingNames.QueueOutput(queue)).EnumerateArray().Select(m => (string?)QueueMessageTrace.Strip(m.GetString()!)).ToList();

    private static QueueClient Client(string queue)
        => new(Azurite.ConnectionString, queue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private static async Task<List<string>> PeekAsync(string queue)
    {
        var client = Client(queue);
        await client.CreateIfNotExistsAsync();
        return (await client.PeekMessagesAsync(32)).Value.Select(m => QueueMessageTrace.Strip(m.Body.ToString())).ToList();
    }

    private static async Task<string> ReceiveAsync(string queue)
    {
        var client = Client(queue);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (await client.ExistsAsync() && (await client.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value is [var message])
                return QueueMessageTrace.Strip(message.Body.ToString());
            await Task.Delay(200);
        }

        throw new TimeoutException($"No message reached {queue} within 15 s.");
    }
}
