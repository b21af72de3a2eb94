using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Azure.Data;
using Portable.Hosting;

namespace Portable.Azure.Tests;

/// <summary>The Event Grid publish requests, checked against an in-test HTTP server (there is no Event Grid emulator).</summary>
public sealed class EventGridNotifierTests : IAsyncLifetime
{
    private CaptureServer _server = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _server = await CaptureServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private EventGridNotifier Notifier(string? key = "secret-key")
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "shop";
        builder.Resources.AddTopic("order-confirmations");
        var options = new AzureOptions();
        options.Topics["order_confirmations"] = new AzureTopicOptions { Endpoint = new Uri(_server.Address, "/api/events").ToString(), Key = key };
        return new EventGridNotifier(builder.Build().Catalog, options, _http, NullLogger<EventGridNotifier>.Instance);
    }

    [Fact]
    public async Task Publish_PostsOneCloudEventBatch_ToTheTopicEndpoint_WithTheKeyHeader()
    {
        var notification = new Notification("order-confirmations", """{"orderId":"o-1"}""")
        {
            Subject = "Order o-1 confirmed",
            DeduplicationId = "order-confirmed-o-1",
            Attributes = new Dictionary<string, string> { ["Region"] = "eu", ["x-trace"] = "t1" },
        };
        await Notifier().PublishAsync(notification, default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/events", request.Path);
        Assert.Equal("?api-version=2018-01-01", request.Query);
        Assert.Equal("secret-key", request.Headers["aeg-sas-key"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.StartsWith("application/cloudevents-batch+json", request.Headers["Content-Type"], StringComparison.Ordinal);

        using var body = JsonDocument.Parse(request.Body);
        var cloudEvent = Assert.Single(body.RootElement.EnumerateArray());
        Assert.Equal("1.0", cloudEvent.GetProperty("specversion").GetString());
        Assert.Equal("order-confirmed-o-1", cloudEvent.GetProperty("id").GetString());
        Assert.Equal("/portable/shop/topics/order-confirmations", cloudEvent.GetProperty("source").GetString());
        Assert.Equal("Portable.Notification", cloudEvent.GetProperty("type").GetString());
        Assert.Equal("Order o-1 confirmed", cloudEvent.GetProperty("subject").GetString());
        Assert.Equal("application/json", cloudEvent.GetProperty("datacontenttype").GetString());
        Assert.Equal("o-1", cloudEvent.GetProperty("data").GetProperty("orderId").GetString());
        Assert.Equal("eu", cloudEvent.GetProperty("region").GetString());
        Assert.Equal("t1", cloudEvent.GetProperty("xtrace").GetString());
    }

    [Fact]
    public async Task PublishedEvent_MeetsTheCloudEventsJsonSchemasRequiredAttributes()
    {
        await Notifier().PublishAsync(new Notification("order-confirmations", "plain text"), default);

        var schema = Vectors.Json("copied/cloudevents__spec/cloudevents/cloudevents.json");
        using var body = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        var cloudEvent = body.RootElement[0];
        foreach (var required in schema.GetProperty("definitions").GetProperty("event").GetProperty("required").EnumerateArray())
        {
            Assert.True(cloudEvent.TryGetProperty(required.GetString()!, out var value) && value.GetString()!.Length > 0, $"'{required}' is missing");
        }

        Assert.Equal("plain text", cloudEvent.GetProperty("data").GetString());
        Assert.True(Guid.TryParse(cloudEvent.GetProperty("id").GetString(), out _));
    }

    [Fact]
    public async Task Refused_ThrowsWithTheStatus()
    {
        _server.Status = 401;
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Notifier().PublishAsync(new Notification("order-confirmations", "{}"), default));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("order-confirmations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopicWithoutAnEndpoint_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<PortableConfigurationException>(() => Notifier().PublishAsync(new Notification("other", "{}"), default));

        Assert.Contains("Portable__Azure__Topics__other__Endpoint", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task PublishedEvent_ReadBackByTheTriggerMapping_IsTheSameNotification()
    {
        var sent = new Notification("order-confirmations", """{"orderId":"o-2"}""") { Subject = "s", DeduplicationId = "d-2", Attributes = new Dictionary<string, string> { ["region"] = "eu" } };
        await Notifier().PublishAsync(sent, default);

        using var body = JsonDocument.Parse(Assert.Single(_server.Requests).Body);
        var received = Bindings.PayloadReader.ReadNotification("order-confirmations", Bindings.PayloadReader.ReadEvent(body.RootElement[0]));
        Assert.Equal(sent.Body, received.Body);
        Assert.Equal(sent.Subject, received.Subject);
        Assert.Equal(sent.DeduplicationId, received.DeduplicationId);
        Assert.Equal("eu", received.Attributes["region"]);
    }
}
