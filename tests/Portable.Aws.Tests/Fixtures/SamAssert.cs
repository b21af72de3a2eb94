using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Portable.Aws.Tests.Fixtures;

/// <summary>Reads a function's permissions, route authorization and settings out of a parsed SAM template.</summary>
public static class SamAssert
{
    /// <summary>The function's policies as "PolicyTemplate Resource", such as "DynamoDBCrudPolicy OrdersTable"; empty when it has none.</summary>
    public static List<string> Policies(YamlMappingNode template, string function)
    {
        var properties = template.Map("Resources").Map(function + "Function").Map("Properties");
        if (!properties.Children.TryGetValue(new YamlScalarNode("Policies"), out var policies)) return [];
        return ((YamlSequenceNode)policies).Children.Select(p =>
        {
            var (name, value) = Assert.Single(((YamlMappingNode)p).Children);
            if (((YamlScalarNode)name).Value == "Statement")
            {
                // An inline policy (bucket access): its statements by Sid, such as "Statement ReceiptsBucketObjects ReceiptsBucketList".
                return "Statement " + string.Join(' ', ((YamlSequenceNode)value).Children.Select(statement => statement.Text("Sid")));
            }

            var reference = (YamlScalarNode)Assert.Single(((YamlMappingNode)value).Children).Value;
            return $"{((YamlScalarNode)name).Value} {reference.Value!.Split('.')[0]}";
        }).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The authorizer of a function's HTTP route: null when it inherits the API's default, else the one it names.</summary>
    public static string? RouteAuthorizer(YamlMappingNode template, string function)
    {
        var http = template.Map("Resources").Map(function + "Function").Map("Properties").Map("Events").Map("Http").Map("Properties");
        Assert.Equal("HttpApi", http.Text("ApiId"));
        return http.Children.TryGetValue(new YamlScalarNode("Auth"), out var auth) ? ((YamlMappingNode)auth).Text("Authorizer") : null;
    }

    /// <summary>The API's default authorizer, with IAM authorization enabled.</summary>
    public static string DefaultAuthorizer(YamlMappingNode template)
    {
        var auth = template.Map("Resources").Map("HttpApi").Map("Properties").Map("Auth");
        Assert.Equal("true", auth.Text("EnableIamAuthorizer"));
        return auth.Text("DefaultAuthorizer");
    }

    /// <summary>Memory, timeout and architecture of a function, as the template gives them.</summary>
    public static (int Memory, int Timeout, string Architecture) Settings(YamlMappingNode template, string function)
    {
        var properties = template.Map("Resources").Map(function + "Function").Map("Properties");
        var architectures = (YamlSequenceNode)properties.Children[new YamlScalarNode("Architectures")];
        return (int.Parse(properties.Text("MemorySize"), CultureInfo.InvariantCulture), int.Parse(properties.Text("Timeout"), CultureInfo.InvariantCulture),
            ((YamlScalarNode)Assert.Single(architectures.Children)).Value!);
    }

    /// <summary>
    /// The Orders acceptance: Hello no data permission, GetOrder the orders table and the receipts bucket, ListOrders the orders
    /// table only, PlaceOrder the orders table and the order-placed queue only, ImportOrders those and the imports bucket; the order
    /// routes IAM-protected, Hello public.
    /// </summary>
    public static void OrdersLeastPrivilegeAndAccess(YamlMappingNode template)
    {
        Assert.Empty(Policies(template, "Hello"));
        Assert.Equal(["DynamoDBCrudPolicy OrdersTable", "Statement ReceiptsBucketObjects ReceiptsBucketList"], Policies(template, "GetOrder"));
        Assert.Equal(["DynamoDBCrudPolicy OrdersTable"], Policies(template, "ListOrders"));
        Assert.Equal(["DynamoDBCrudPolicy OrdersTable", "SQSSendMessagePolicy OrderPlacedQueue"], Policies(template, "PlaceOrder"));
        Assert.Equal(["DynamoDBCrudPolicy OrdersTable", "SQSSendMessagePolicy OrderPlacedQueue", "Statement ImportsBucketObjects ImportsBucketList"], Policies(template, "ImportOrders"));
        Assert.Equal(["DynamoDBCrudPolicy OrdersTable", "SNSPublishMessagePolicy OrderConfirmationsTopic", "Statement ReceiptsBucketObjects ReceiptsBucketList"], Policies(template, "SendConfirmation"));
        Assert.Equal(["DynamoDBCrudPolicy AuditsTable"], Policies(template, "AuditConfirmation"));
        Assert.Equal(["DynamoDBCrudPolicy OrdersTable"], Policies(template, "ExpireUnconfirmed"));

        Assert.Equal("AWS_IAM", DefaultAuthorizer(template));
        Assert.Null(RouteAuthorizer(template, "PlaceOrder"));
        Assert.Null(RouteAuthorizer(template, "GetOrder"));
        Assert.Null(RouteAuthorizer(template, "ListOrders"));
        Assert.Equal("NONE", RouteAuthorizer(template, "Hello"));
    }
}
