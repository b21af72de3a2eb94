using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portable.AspNetCore.Tests.Fixtures;

namespace Portable.AspNetCore.Tests.WebApi;

/// <summary>
/// The acceptance for samples/WebApi: a recorded list of requests gets the same answers (status, the headers that
/// matter, body bytes) on plain Kestrel, through the AOT-published bootstrap in each Lambda event shape, on the GCP host and
/// through Azure forwarded requests; and the queue function runs on each platform.
/// </summary>
[Collection(WebApiCollection.Name)]
public sealed partial class WebApiAcceptanceTests(WebApiFixture webApi)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Every byte value twice: an upload and download that are not UTF-8.</summary>
    private static readonly byte[] Binary = [.. Enumerable.Range(0, 512).Select(i => (byte)i)];

    /// <summary>The headers a caller acts on (not Date, Server or the framing, which belong to the transport).</summary>
    private static readonly string[] HeadersThatMatter = ["Content-Type", "Location", "Set-Cookie", "X-Served-By", "Cache-Control", "WWW-Authenticate"];

    /// <summary>The recorded requests, in order (the download reads what the upload stored).</summary>
    private static readonly (string Name, TestRequest Request)[] Requests =
    [
        ("root", new("GET", "/", [], [])),
        ("route value and query", new("GET", "/hello/ada", [("greeting", "Hi there")], [])),
        ("json answer", new("GET", "/orders/42", [], [])),
        ("problem 404", new("GET", "/orders/7", [], [])),
        ("json body bound, 201 with Location", new("POST", "/orders", [], [("Content-Type", "application/json")], Encoding.UTF8.GetBytes("""{"id":5,"item":"tea","quantity":2}"""))),
        ("validation problem", new("POST", "/orders", [], [("Content-Type", "application/json")], Encoding.UTF8.GetBytes("""{"id":6,"item":"tea","quantity":0}"""))),
        ("exception as problem", new("GET", "/boom", [], [])),
        ("bearer missing", new("GET", "/secret", [], [])),
        ("bearer wrong", new("GET", "/secret", [], [("Authorization", "Bearer nope")])),
        ("bearer right", new("GET", "/secret", [], [("Authorization", "Bearer sample-token")])),
        ("cookie set", new("POST", "/login", [], [])),
        ("binary upload", new("PUT", "/files/all-bytes.bin", [], [("Content-Type", "application/octet-stream")], Binary, BinaryBody: true)),
        ("binary download", new("GET", "/files/all-bytes.bin", [], [])),
        ("streamed readings", new("GET", "/readings", [("count", "4")], [])),
        ("no route", new("GET", "/nowhere", [], [])),
        ("wrong method", new("DELETE", "/hello/ada", [], [])),
    ];

    public static TheoryData<Shape> LambdaShapes() => new() { Shape.RestApi, Shape.HttpApi, Shape.AlbMultiValue, Shape.FunctionUrl };

    [Theory]
    [MemberData(nameof(LambdaShapes))]
    public async Task RecordedRequests_ThroughThePublishedBootstrap_AnswerAsOnKestrel(Shape shape)
    {
        foreach (var (name, request) in Requests)
        {
            var kestrel = await SendAsync(webApi.Kestrel, request);
            var (lambda, _) = await webApi.SendToLambdaAsync(shape, request);
            AssertSame(name, kestrel, lambda);
        }
    }

    [Fact]
    public async Task RecordedRequests_OnTheGcpHost_AnswerAsOnKestrel()
    {
        foreach (var (name, request) in Requests) AssertSame(name, await SendAsync(webApi.Kestrel, request), await SendAsync(webApi.Gcp, request));
    }

    [Fact]
    public async Task RecordedRequests_AsAzureForwardedRequests_AnswerAsOnKestrel()
    {
        foreach (var (name, request) in Requests) AssertSame(name, await SendAsync(webApi.Kestrel, request), await SendAsync(webApi.Azure, request));
    }

    [Fact]
    public async Task TheRecordedAnswers_AreTheApps()
    {
        // Parity would hold for an app that answers nothing: the answers must be the app's.
        Assert.Equal("Hi there, ada!", (await SendAsync(webApi.Kestrel, Request("route value and query"))).Text);
        Assert.Equal("/orders/5", Assert.Single((await SendAsync(webApi.Kestrel, Request("json body bound, 201 with Location"))).Values("Location")));
        Assert.Equal(401, (await SendAsync(webApi.Kestrel, Request("bearer missing"))).Status);
        Assert.Equal("Hello, sample-user.", (await SendAsync(webApi.Kestrel, Request("bearer right"))).Text);
        var problem = await SendAsync(webApi.Kestrel, Request("exception as problem"));
        Assert.Equal(500, problem.Status);
        Assert.DoesNotContain("details stay in the log", problem.Text, StringComparison.Ordinal);
        Assert.Equal("""[{"index":1,"value":1},{"index":2,"value":4},{"index":3,"value":9},{"index":4,"value":16}]""", (await SendAsync(webApi.Kestrel, Request("streamed readings"))).Text);
        await SendAsync(webApi.Kestrel, Request("binary upload"));
        Assert.Equal(Binary, (await SendAsync(webApi.Kestrel, Request("binary download"))).Body);
        using var openApi = JsonDocument.Parse(await webApi.Kestrel.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        Assert.True(openApi.RootElement.GetProperty("paths").TryGetProperty("/orders/{id}", out _));
        Assert.Equal("WebApi", Assert.Single((await SendAsync(webApi.Kestrel, Request("root"))).Values("X-Served-By")));
    }

    [Fact]
    public async Task OnLambda_BinaryUploadAndDownload_RoundTripByteForByte_AndTheCookieIsInV2Cookies()
    {
        await webApi.SendToLambdaAsync(Shape.HttpApi, Request("binary upload"));
        var (download, raw) = await webApi.SendToLambdaAsync(Shape.HttpApi, Request("binary download"));
        Assert.Equal(Binary, download.Body);
        Assert.True(JsonDocument.Parse(raw).RootElement.GetProperty("isBase64Encoded").GetBoolean());

        var (_, login) = await webApi.SendToLambdaAsync(Shape.HttpApi, Request("cookie set"));
        var cookies = JsonDocument.Parse(login).RootElement.GetProperty("cookies");
        Assert.StartsWith("session=s-123", Assert.Single(cookies.EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnLambda_TheOpenApiDocument_IsServed()
    {
        var (answer, _) = await webApi.SendToLambdaAsync(Shape.HttpApi, new TestRequest("GET", "/openapi/v1.json", [], []));
        Assert.Equal(200, answer.Status);
        using var document = JsonDocument.Parse(answer.Body);
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/greetings", out _));
    }

    [Fact]
    public async Task Locally_TheQueueFunction_RunsOnWhatTheEndpointSends()
        => await PostGreetingThenSeeItAsync(webApi.Kestrel, "ada-local", async name =>
        {
            using var sent = await webApi.Kestrel.PostAsync(new Uri("/greetings", UriKind.Relative), Json($$"""{"name":"{{name}}"}"""));
            Assert.Equal(202, (int)sent.StatusCode);
        });

    [Fact]
    public async Task OnGcp_APubSubPush_RunsTheQueueFunction()
        => await PostGreetingThenSeeItAsync(webApi.Gcp, "ada-gcp", async name =>
        {
            var data = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"name":"{{name}}"}"""));
            using var push = await webApi.Gcp.PostAsync(new Uri("/_portable/functions/record-greeting", UriKind.Relative),
                Json($$"""{"message":{"data":"{{data}}","messageId":"m-1"},"subscription":"projects/acceptance/subscriptions/greetings"}"""));
            Assert.True(push.IsSuccessStatusCode, $"push answered {(int)push.StatusCode}");
        });

    [Fact]
    public async Task OnAzure_AQueueInvocation_RunsTheQueueFunction()
        => await PostGreetingThenSeeItAsync(webApi.Azure, "ada-azure", async name =>
        {
            using var invocation = new HttpRequestMessage(HttpMethod.Post, "/record-greeting")
            {
                Content = Json(JsonSerializer.Serialize(new Dictionary<string, object> { ["Data"] = new Dictionary<string, string> { ["message"] = $$"""{"name":"{{name}}"}""" }, ["Metadata"] = new Dictionary<string, int> { ["DequeueCount"] = 1 } })),
            };
            invocation.Headers.Add("X-Azure-Functions-InvocationId", "inv-acceptance");
            using var answer = await webApi.Azure.SendAsync(invocation);
            Assert.Equal(200, (int)answer.StatusCode);
        });

    [Fact]
    public async Task OnLambda_AnSqsEvent_RunsTheQueueFunction_InItsOwnLambdaFunction()
    {
        var outcome = await webApi.QueueRuntime.Enqueue("""{"Records":[{"eventSource":"aws:sqs","messageId":"m-1","body":"{\"name\":\"ada-aws\"}"}]}""").WaitAsync(Patience);

        Assert.Equal("response", outcome.Kind);
        Assert.Contains("\"batchItemFailures\":[]", outcome.Body, StringComparison.Ordinal);
        await webApi.LambdaQueueApp.WaitForOutputAsync("Recorded a greeting for ada-aws on aws", Patience);
    }

    [Fact]
    public void TheAwsPublish_HasNoWarnings_AndWritesTheSamTemplate()
    {
        Assert.DoesNotContain("warning", webApi.PublishLog, StringComparison.OrdinalIgnoreCase);
        var template = File.ReadAllText(Path.Combine(webApi.AwsFolder, "template.yaml"));
        Assert.Contains("Handler: 'web'", template, StringComparison.Ordinal);
        Assert.Contains("Handler: 'record-greeting'", template, StringComparison.Ordinal);
    }

    private static TestRequest Request(string name) => Requests.Single(r => r.Name == name).Request;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Delivers a greeting with <paramref name="deliver"/>, then reads <c>GET /greetings</c> until the function has recorded it.</summary>
    private static async Task PostGreetingThenSeeItAsync(HttpClient app, string name, Func<string, Task> deliver)
    {
        await deliver(name);
        var until = DateTime.UtcNow + Patience;
        string seen;
        do
        {
            seen = await app.GetStringAsync(new Uri("/greetings", UriKind.Relative));
            if (seen.Contains(name, StringComparison.Ordinal)) return;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < until);
        Assert.Contains(name, seen, StringComparison.Ordinal);
    }

    private static async Task<Answer> SendAsync(HttpClient client, TestRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
        if (request.Body is not null) message.Content = new ByteArrayContent(request.Body);
        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value)) message.Content!.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(message);
        var headers = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)) headers[name] = [.. values];
        return new Answer((int)response.StatusCode, headers, await response.Content.ReadAsByteArrayAsync());
    }

    private static void AssertSame(string name, Answer expected, Answer actual)
    {
        Assert.True(expected.Status == actual.Status, $"{name}: status {actual.Status}, expected {expected.Status}");
        Assert.Equal(Matter(expected), Matter(actual));
        Assert.True(Normalized(expected).SequenceEqual(Normalized(actual)), $"{name}: body\n{actual.Text}\nexpected\n{expected.Text}");
    }

    private static string[] Matter(Answer answer)
        => [.. HeadersThatMatter.Where(answer.Headers.ContainsKey).Select(name => name.ToLowerInvariant() + ": " + string.Join(name == "Set-Cookie" ? " | " : ",", answer.Values(name)))];

    /// <summary>The body with a problem document's <c>traceId</c> blanked: it names the request's own trace, different on every call.</summary>
    private static byte[] Normalized(Answer answer)
        => answer.Values("Content-Type") is [var type] && type.StartsWith("application/problem+json", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(TraceId().Replace(answer.Text, "\"traceId\":\"*\""))
            : answer.Body;

    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();
}
