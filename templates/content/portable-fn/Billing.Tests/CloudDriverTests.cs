using System.Text.Json;
using Portable.Testing;

namespace Billing.Tests;

/// <summary>The same function, driven in memory through each cloud adapter with that platform's own payload.</summary>
public sealed class CloudDriverTests
{
#if (http)
    [Fact]
    public async Task AwsHttpApiEvent_ReachesRegisterCustomer_AndAnswersInApiGatewayShape()
    {
        await using var host = await PortableTestHost.StartAsync(BillingApp.Configure);
        var body = JsonSerializer.Serialize("""{"name":"Ada","email":"ada@example.com"}""");
        var response = await host.Aws().InvokeAsync("RegisterCustomer", $$"""
            {"version":"2.0","routeKey":"POST /customers","rawPath":"/customers","rawQueryString":"",
             "headers":{"content-type":"application/json"},
             "requestContext":{"http":{"method":"POST","path":"/customers","sourceIp":"127.0.0.1"},"requestId":"r-1","stage":"$default"},
             "body":{{body}},"isBase64Encoded":false}
            """);
        using var document = JsonDocument.Parse(response);
        Assert.Equal(201, document.RootElement.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task GcpHttpRequest_ReachesRegisterCustomer()
    {
        await using var host = await PortableTestHost.StartAsync(BillingApp.Configure);
        var response = await host.Gcp("RegisterCustomer").SendHttpAsync("POST", "/customers", """{"name":"Ada","email":"ada@example.com"}""");
        Assert.Equal(201, response.StatusCode);
    }
#endif
#if (queue)
    [Fact]
    public async Task AwsSqsEvent_ReachesProcessInvoice_WithNoBatchItemFailure()
    {
        await using var host = await PortableTestHost.StartAsync(BillingApp.Configure);
        var body = JsonSerializer.Serialize("""{"customerId":"cus-1","amount":12.5}""");
        var failures = await host.Aws().InvokeSqsAsync("ProcessInvoice", $$"""
            {"Records":[{"messageId":"m-1","receiptHandle":"h-1","body":{{body}},
              "attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1700000000000"},"messageAttributes":{},
              "eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:000000000000:invoice-requests","awsRegion":"us-east-1"}]}
            """);
        Assert.Empty(failures);
        Assert.Single(host.Notifications);
    }

    [Fact]
    public async Task AzureQueueTrigger_ReachesProcessInvoice()
    {
        await using var host = await PortableTestHost.StartAsync(BillingApp.Configure);
        var result = await host.Azure().InvokeAsync("ProcessInvoice", AzureTestDriver.QueuePayload("""{"customerId":"cus-1","amount":12.5}"""));
        Assert.Equal(200, result.StatusCode);
        Assert.Single(host.Notifications);
    }
#endif
#if (schedule)
    [Fact]
    public async Task GcpSchedulerRequest_RunsNightlyReport()
    {
        await using var host = await PortableTestHost.StartAsync(BillingApp.Configure);
        var response = await host.Gcp("NightlyReport").SendSchedulerAsync();
        Assert.InRange(response.StatusCode, 200, 299);
        Assert.Single(host.Notifications);
    }
#endif
}
