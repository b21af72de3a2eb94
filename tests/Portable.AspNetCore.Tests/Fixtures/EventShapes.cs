using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portable.AspNetCore.Tests.Fixtures;

/// <summary>The event shapes an ASP.NET Core app on Lambda is invoked with.</summary>
public enum Shape
{
    RestApi,
    HttpApi,
    AlbMultiValue,
    Alb,
    FunctionUrl,
}

/// <summary>One HTTP request, as a client sends it; <see cref="EventShapes.Build"/> turns it into each event shape.</summary>
public sealed record TestRequest(string Method, string Path, (string Name, string Value)[] Query, (string Name, string Value)[] Headers, byte[]? Body = null, bool BinaryBody = false)
{
    /// <summary>Whether a name repeats among the query parameters (ALB without multi-value headers keeps only the last value).</summary>
    public bool HasRepeatedQuery => Query.GroupBy(q => q.Name).Any(g => g.Count() > 1);

    public string QueryString => Query.Length == 0 ? "" : "?" + string.Join('&', Query.Select(q => Uri.EscapeDataString(q.Name) + "=" + Uri.EscapeDataString(q.Value)));
}

/// <summary>A response reduced to what a caller sees: status, headers (name → values), body bytes.</summary>
public sealed record Answer(int Status, Dictionary<string, List<string>> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public IReadOnlyList<string> Values(string name) => Headers.TryGetValue(name, out var values) ? values : [];
}

/// <summary>
/// Builds each event shape from a published sample event (see TestData/README.md) by replacing its method, path, query,
/// headers and body, as API Gateway, an ALB or a function URL would deliver the request; and reads the response JSON back.
/// </summary>
public static class EventShapes
{
    public static byte[] Build(Shape shape, TestRequest request, string? stage = null) => shape switch
    {
        Shape.RestApi => RestApi(request, stage),
        Shape.HttpApi => HttpApi("apigw-v2-request-no-authorizer.json", request, stage),
        Shape.FunctionUrl => HttpApi("lambda-urls-request.json", request, null),
        Shape.AlbMultiValue => Alb("alb-lambda-target-request-multivalue-headers.json", request, multiValue: true),
        Shape.Alb => Alb("alb-lambda-target-request-headers-only.json", request, multiValue: false),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    public static JsonObject Template(string file)
        => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "aws-lambda-go", file)))!.AsObject();

    private static byte[] RestApi(TestRequest request, string? stage)
    {
        var e = Template("apigw-request.json");
        e["resource"] = "/{proxy+}";
        e["httpMethod"] = request.Method;
        e["path"] = (stage is null ? "" : "/" + stage) + request.Path;
        var headers = Headers(e["headers"]!.AsObject(), request);
        e["headers"] = Single(headers);
        e["multiValueHeaders"] = Multi(headers);
        e["queryStringParameters"] = request.Query.Length == 0 ? null : Single(request.Query.ToList());
        e["multiValueQueryStringParameters"] = request.Query.Length == 0 ? null : Multi(request.Query.ToList());
        e["pathParameters"] = new JsonObject { ["proxy"] = request.Path.TrimStart('/') };
        e["requestContext"]!["path"] = (stage is null ? "" : "/" + stage) + request.Path;
        e["requestContext"]!["httpMethod"] = request.Method;
        if (stage is not null) e["requestContext"]!["stage"] = stage;
        SetBody(e, request);
        return Encoding.UTF8.GetBytes(e.ToJsonString());
    }

    private static byte[] HttpApi(string template, TestRequest request, string? stage)
    {
        var e = Template(template);
        var path = (stage is null ? "" : "/" + stage) + request.Path;
        e["rawPath"] = path;
        e["rawQueryString"] = request.QueryString.TrimStart('?');
        e["queryStringParameters"] = request.Query.Length == 0 ? null : new JsonObject(request.Query.GroupBy(q => q.Name)
            .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)string.Join(',', g.Select(q => q.Value)))));
        var headers = Headers(e["headers"]!.AsObject(), request);
        var cookies = headers.Where(h => h.Name.Equals("cookie", StringComparison.OrdinalIgnoreCase)).SelectMany(h => h.Value.Split("; ")).ToList();
        headers.RemoveAll(h => h.Name.Equals("cookie", StringComparison.OrdinalIgnoreCase));
        e["headers"] = new JsonObject(headers.GroupBy(h => h.Name.ToLowerInvariant())
            .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)string.Join(',', g.Select(h => h.Value)))));
        e["cookies"] = cookies.Count == 0 ? null : new JsonArray([.. cookies.Select(c => (JsonNode)c)]);
        e["requestContext"]!["http"]!["method"] = request.Method;
        e["requestContext"]!["http"]!["path"] = path;
        if (stage is not null) e["requestContext"]!["stage"] = stage;
        SetBody(e, request);
        return Encoding.UTF8.GetBytes(e.ToJsonString());
    }

    private static byte[] Alb(string template, TestRequest request, bool multiValue)
    {
        var e = Template(template);
        e["httpMethod"] = request.Method;
        e["path"] = request.Path;
        var templateHeaders = (multiValue ? e["multiValueHeaders"] : e["headers"])!.AsObject();
        var headers = Headers(templateHeaders, request).Select(h => (h.Name.ToLowerInvariant(), h.Value)).ToList();
        var query = request.Query.Select(q => (Uri.EscapeDataString(q.Name), Uri.EscapeDataString(q.Value))).ToList(); // ALB passes the query as sent
        e.Remove("headers");
        e.Remove("multiValueHeaders");
        e.Remove("queryStringParameters");
        e.Remove("multiValueQueryStringParameters");
        if (multiValue)
        {
            e["multiValueHeaders"] = Multi(headers);
            e["multiValueQueryStringParameters"] = Multi(query);
        }
        else
        {
            e["headers"] = Single(headers);
            e["queryStringParameters"] = Single(query);
        }

        SetBody(e, request);
        if (request.Body is null) e["body"] = ""; // as an ALB sends a request without a body
        return Encoding.UTF8.GetBytes(e.ToJsonString());
    }

    /// <summary>The template's headers (the single-value or multi-value object), less those the request sets and the body's, plus the request's.</summary>
    private static List<(string Name, string Value)> Headers(JsonObject template, TestRequest request)
    {
        var mine = request.Headers.Select(h => h.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var headers = new List<(string Name, string Value)>();
        foreach (var (name, value) in template)
        {
            if (mine.Contains(name) || name.Equals("content-length", StringComparison.OrdinalIgnoreCase) || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)) continue;
            if (value is JsonArray array) headers.AddRange(array.Select(v => (name, v!.GetValue<string>())));
            else headers.Add((name, value!.GetValue<string>()));
        }

        headers.AddRange(request.Headers);
        if (request.Body is { Length: > 0 } body) headers.Add(("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return headers;
    }

    private static JsonObject Single(List<(string Name, string Value)> pairs)
        => new(pairs.GroupBy(p => p.Name).Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Last().Value)));

    private static JsonObject Multi(List<(string Name, string Value)> pairs)
        => new(pairs.GroupBy(p => p.Name).Select(g => KeyValuePair.Create(g.Key, (JsonNode?)new JsonArray([.. g.Select(p => (JsonNode)p.Value)]))));

    private static void SetBody(JsonObject e, TestRequest request)
    {
        e["isBase64Encoded"] = request.BinaryBody;
        e["body"] = request.Body is null ? null
            : request.BinaryBody ? Convert.ToBase64String(request.Body) : Encoding.UTF8.GetString(request.Body);
    }

    /// <summary>Reads the response JSON posted to the Runtime API: <c>multiValueHeaders</c> over <c>headers</c>, v2's <c>cookies</c> as <c>Set-Cookie</c>, the body by <c>isBase64Encoded</c>.</summary>
    public static Answer ReadResponse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var headers = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("multiValueHeaders", out var multi) && multi.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in multi.EnumerateObject()) headers[header.Name] = [.. header.Value.EnumerateArray().Select(v => v.GetString()!)];
        }
        else if (root.TryGetProperty("headers", out var single) && single.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in single.EnumerateObject()) headers[header.Name] = [header.Value.GetString()!];
        }

        if (root.TryGetProperty("cookies", out var cookies) && cookies.ValueKind == JsonValueKind.Array)
        {
            headers["Set-Cookie"] = [.. cookies.EnumerateArray().Select(c => c.GetString()!)];
        }

        var body = root.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : "";
        var base64 = root.TryGetProperty("isBase64Encoded", out var flag) && flag.GetBoolean();
        return new Answer(root.GetProperty("statusCode").GetInt32(), headers, base64 ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body));
    }
}
