using Orders;
using Portable.Aws.Deployment;
using Portable.Aws.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace Portable.Aws.Tests;

/// <summary>The SAM template generated from the Orders catalog.</summary>
public sealed class SamTemplateTests
{
    private static readonly PortableApp App = AwsEmulators.App(OrdersApp.Configure);

    [Fact]
    public void Template_IsYamlNamingEveryFunctionWithItsHandlerAndEventSource()
    {
        var template = SamYaml.Load(SamTemplate.Build(App.Catalog, "Orders.zip"));
        var resources = template.Map("Resources");

        var expected = new Dictionary<string, string>
        {
            ["PlaceOrder"] = "HttpApi",
            ["GetOrder"] = "HttpApi",
            ["ListOrders"] = "HttpApi",
            ["ImportOrders"] = "S3",
            ["Hello"] = "HttpApi",
            ["SendConfirmation"] = "SQS",
            ["ExpireUnconfirmed"] = "Schedule",
            ["AuditConfirmation"] = "SNS",
        };
        Assert.Equal(expected.Keys.Order(), App.Catalog.Functions.Select(f => f.Name).Order());
        foreach (var (name, eventType) in expected)
        {
            var function = resources.Map(name + "Function");
            Assert.Equal("AWS::Serverless::Function", function.Text("Type"));
            Assert.Equal(name, function.Map("Properties").Text("Handler"));
            var events = function.Map("Properties").Map("Events");
            Assert.Equal(eventType, ((YamlMappingNode)Assert.Single(events.Children).Value).Text("Type"));
        }

        Assert.Equal("provided.al2023", template.Map("Globals").Map("Function").Text("Runtime"));
        Assert.Equal("Orders.zip", template.Map("Globals").Map("Function").Text("CodeUri"));
    }

    [Fact]
    public void Template_DeclaresRoutesBatchFailuresScheduleTablesQueuesWithDeadLettersAndTheTopic()
    {
        var resources = SamYaml.Load(SamTemplate.Build(App.Catalog, "Orders.zip")).Map("Resources");

        var getOrder = resources.Map("GetOrderFunction").Map("Properties").Map("Events").Map("Http").Map("Properties");
        Assert.Equal("/orders/{id}", getOrder.Text("Path"));
        Assert.Equal("GET", getOrder.Text("Method"));
        var listOrders = resources.Map("ListOrdersFunction").Map("Properties").Map("Events").Map("Http").Map("Properties");
        Assert.Equal("/orders", listOrders.Text("Path"));
        Assert.Equal("GET", listOrders.Text("Method"));
        var s3 = resources.Map("ImportOrdersFunction").Map("Properties").Map("Events").Map("Blob").Map("Properties");
        Assert.Equal("ImportsBucket", s3.Text("Bucket"));
        var sqs = resources.Map("SendConfirmationFunction").Map("Properties").Map("Events").Map("Queue").Map("Properties");
        Assert.Equal("ReportBatchItemFailures", ((YamlScalarNode)((YamlSequenceNode)sqs.Children[new YamlScalarNode("FunctionResponseTypes")]).Single()).Value);
        Assert.Equal("!GetAtt", sqs.Children[new YamlScalarNode("Queue")].Tag.Value);
        Assert.Equal("cron(*/5 * * * ? *)", resources.Map("ExpireUnconfirmedFunction").Map("Properties").Map("Events").Map("Schedule").Map("Properties").Text("Schedule"));

        Assert.Equal("AWS::DynamoDB::Table", resources.Map("OrdersTable").Text("Type"));
        Assert.Equal("AWS::DynamoDB::Table", resources.Map("AuditsTable").Text("Type"));
        Assert.Equal("AWS::SQS::Queue", resources.Map("OrderPlacedQueue").Text("Type"));
        Assert.Equal("5", resources.Map("OrderPlacedQueue").Map("Properties").Map("RedrivePolicy").Text("maxReceiveCount"));
        Assert.Equal("AWS::SQS::Queue", resources.Map("OrderPlacedDeadLetterQueue").Text("Type"));
        Assert.Equal("AWS::SNS::Topic", resources.Map("OrderConfirmationsTopic").Text("Type"));
    }

    [Theory]
    [InlineData("*/5 * * * *", "cron(*/5 * * * ? *)")]
    [InlineData("0 9 * * 1-5", "cron(0 9 ? * 2-6 *)")]
    [InlineData("30 2 1 * *", "cron(30 2 1 * ? *)")]
    [InlineData("0 0 * * 0", "cron(0 0 ? * 1 *)")]
    public void FiveFieldCron_BecomesAnEventBridgeCron(string cron, string expected)
        => Assert.Equal(expected, SamTemplate.ToEventBridgeCron(cron));
}
