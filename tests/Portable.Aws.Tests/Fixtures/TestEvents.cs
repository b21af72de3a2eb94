using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portable.Aws.Tests.Fixtures;

/// <summary>Events our tests author (the published vectors are in TestData/).</summary>
public static class TestEvents
{
    /// <summary>An HTTP API (payload 2.0) request, the shape of the published <c>apigw-v2-request-no-authorizer.json</c>.</summary>
    public static string HttpApi(string method, string path, string query = "", string? body = null, bool base64 = false, string? contentType = null)
    {
        var headers = new JsonObject { ["host"] = "api.example.com" };
        if (contentType is not null) headers["content-type"] = contentType;
        var e = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = path,
            ["rawQueryString"] = query,
            ["headers"] = headers,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "123456789012",
                ["apiId"] = "api-id",
                ["domainName"] = "api.example.com",
                ["http"] = new JsonObject { ["method"] = method, ["path"] = path, ["protocol"] = "HTTP/1.1", ["sourceIp"] = "192.0.2.1", ["userAgent"] = "test" },
                ["requestId"] = "id",
                ["routeKey"] = "$default",
                ["stage"] = "$default",
                ["timeEpoch"] = 1583348638390,
            },
            ["isBase64Encoded"] = base64,
        };
        if (body is not null) e["body"] = body;
        return e.ToJsonString();
    }

    /// <summary>An SQS event with one record per body, the shape of the published <c>sqs-event.json</c>.</summary>
    public static string Sqs(IEnumerable<(string MessageId, string Body, int ReceiveCount)> messages)
    {
        var records = new JsonArray();
        foreach (var (id, body, count) in messages)
        {
            records.Add(new JsonObject
            {
                ["messageId"] = id,
                ["receiptHandle"] = "handle-" + id,
                ["body"] = body,
                ["attributes"] = new JsonObject
                {
                    ["ApproximateReceiveCount"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["SentTimestamp"] = "1520621625029",
                },
                ["messageAttributes"] = new JsonObject(),
                ["md5OfBody"] = "",
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = "arn:aws:sqs:us-east-1:123456789012:queue",
                ["awsRegion"] = "us-east-1",
            });
        }

        return new JsonObject { ["Records"] = records }.ToJsonString();
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
