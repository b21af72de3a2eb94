using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portable.Aws.Tests.Fixtures;
using Portable.Fuzz.Tests.Fixtures;
using Portable.Fuzz.Tests.Fuzzing;

namespace Portable.Fuzz.Tests.Hosts;

/// <summary>
/// The published <c>bootstrap</c> as Lambda starts it: one process per function (<c>_HANDLER</c>), each polling its own fake
/// Runtime API (<c>AWS_LAMBDA_RUNTIME_API</c>), with the template's tables and queue created on DynamoDB Local and fauxqs. Events:
/// API Gateway v1 and v2, ALB, function URL, SQS batches, SNS, S3 notifications (direct and through SQS), EventBridge schedule,
/// direct invocation, and garbage; one process for each function of the published app's catalog (<c>--describe</c>). A clear
/// answer is a <c>Runtime.InvalidEvent</c> error, a 4xx problem in an HTTP event's response, or <c>batchItemFailures</c> naming
/// exactly the bad records (a whole batch refused for one bad record is not clear).
/// </summary>
internal sealed class AwsFuzzHost : FuzzHost
{
    private const string ImportedObject = "fuzz/orders.csv";
    private IReadOnlyList<CatalogFunction> _functions = [];
    private readonly Dictionary<string, HostProcess> _processes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeRuntimeApi> _apis = new(StringComparer.Ordinal);
    private Dictionary<string, string> _environment = [];
    private string _executable = "";
    private string _order = "o-missing";

    public override string Name => "AWS";

    public override IReadOnlyDictionary<string, HostProcess> Processes => _processes;

    public override async Task StartAsync()
    {
        var folder = await PublishedHost.GetAsync("aws");
        _executable = PublishedHost.Executable("aws", folder);
        _environment = await AwsResources.CreateAsync(Path.Combine(folder, "template.yaml"));
        _functions = await PublishedCatalog.ReadAsync(_executable);
        foreach (var function in _functions)
        {
            _apis[function.Name] = await FakeRuntimeApi.StartAsync();
            await RestartAsync(function.Name);
        }

        await AwsResources.PutObjectAsync(_environment, ImportsBucket, ImportedObject, Envelopes.Utf8(Seeds.OrdersCsv), "text/csv");

        var placed = await InvokeAsync("PlaceOrder", Envelopes.Utf8(HttpV2("POST", "/orders", Seeds.OrderRequest)));
        if (placed is { Kind: "response" } && JsonDocument.Parse(placed.Body).RootElement.GetProperty("body").GetString() is { } body && body.Contains("orderId", StringComparison.Ordinal))
        {
            _order = JsonDocument.Parse(body).RootElement.GetProperty("orderId").GetString()!;
        }
    }

    protected override Task RestartAsync(string target)
    {
        _processes.GetValueOrDefault(target)?.Dispose();
        var environment = new Dictionary<string, string>(_environment, StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = _apis[target].Address,
            ["_HANDLER"] = target,
            ["AWS_LAMBDA_FUNCTION_NAME"] = target,
        };
        _processes[target] = HostProcess.Start($"{Name} {target}", _executable, environment);
        return Task.CompletedTask;
    }

    /// <summary>The physical S3 bucket of the sample's <c>imports</c> bucket on fauxqs.</summary>
    private string ImportsBucket => _environment["PORTABLE_BUCKET_IMPORTS"];

    /// <summary>An HTTP API (payload 2.0) request from the published sample event.</summary>
    public static string HttpV2(string method, string path, string? body = null, bool base64 = false, string contentType = "application/json", string query = "")
        => Envelopes.With(Envelopes.Read("aws/apigw-v2-request-no-authorizer.json"),
            ("rawPath", path), ("rawQueryString", query), ("queryStringParameters", null), ("requestContext/http/method", method), ("requestContext/http/path", path),
            ("headers/content-type", contentType), ("headers/content-length", null), ("body", body), ("isBase64Encoded", base64));

    public override IReadOnlyList<FuzzCase> Generate(Mutator mutator)
    {
        var cases = new List<FuzzCase>();
        FuzzCase Http(string fn, string label, Expect expect, string json) => new(fn, label, expect, Envelopes.Utf8(json)) { Channel = "http-event" };
        FuzzCase HttpBytes(string fn, string label, Expect expect, byte[] bytes) => new(fn, label, expect, bytes) { Channel = "http-event" };

        // HTTP events in all four shapes, valid; then their envelopes damaged.
        var order = Seeds.OrderRequest;
        (string Shape, string Json)[] shapes =
        [
            ("API Gateway v1", Envelopes.With(Envelopes.Read("aws/apigw-request.json"), ("httpMethod", "POST"), ("path", "/orders"), ("resource", "/orders"), ("pathParameters", null),
                ("requestContext/resourcePath", "/orders"), ("requestContext/httpMethod", "POST"), ("headers/Content-Type", "application/json"),
                ("multiValueHeaders/Content-Type", new JsonArray("application/json")), ("body", order))),
            ("API Gateway v2", HttpV2("POST", "/orders", order)),
            ("ALB", Envelopes.With(Envelopes.Read("aws/alb-lambda-target-request-headers-only.json"), ("httpMethod", "POST"), ("path", "/orders"), ("headers/content-type", "application/json"), ("body", order), ("isBase64Encoded", false))),
            ("function URL", Envelopes.With(Envelopes.Read("aws/lambda-urls-request.json"), ("rawPath", "/orders"), ("rawQueryString", ""), ("requestContext/http/method", "POST"),
                ("requestContext/http/path", "/orders"), ("headers/content-type", "application/json"), ("body", order), ("isBase64Encoded", false))),
        ];
        foreach (var (shape, json) in shapes)
        {
            cases.Add(Http("PlaceOrder", $"seed: {shape} POST /orders", Expect.Valid, json));
            foreach (var m in mutator.Json(json, 22).Concat(mutator.Bytes(Envelopes.Utf8(json), 6)))
            {
                cases.Add(HttpBytes("PlaceOrder", $"{shape} envelope: {m.Label}", Envelopes.ForBytes(m.Bytes), m.Bytes));
            }
        }

        // The request body damaged, sent exactly (base64) in a valid v2 event.
        cases.Add(Http("PlaceOrder", "overflow: quantity × unitPrice", Expect.Malformed, HttpV2("POST", "/orders", Seeds.OverflowingOrder)));
        cases.Add(Http("PlaceOrder", "overflow: sum of lines", Expect.Malformed, HttpV2("POST", "/orders", Seeds.OverflowingSum)));
        foreach (var m in mutator.Json(order, 60).Concat(mutator.Bytes(Seeds.OrderRequestBytes, 25)))
        {
            cases.Add(Http("PlaceOrder", "body: " + m.Label, Oracle.IsValidOrderRequest(m.Bytes) ? Expect.Valid : Expect.Malformed, HttpV2("POST", "/orders", Convert.ToBase64String(m.Bytes), base64: true)));
        }

        cases.Add(Http("PlaceOrder", "body: not base64 though isBase64Encoded", Expect.Malformed, HttpV2("POST", "/orders", "!!not base64!!", base64: true)));
        cases.Add(Http("PlaceOrder", "content type: text/plain", Expect.Malformed, HttpV2("POST", "/orders", order, contentType: "text/plain")));
        foreach (var method in new[] { "TRACE", "CONNECT", "FOO", "DELETE", "PUT", "" })
        {
            cases.Add(Http("PlaceOrder", $"method: '{method}' /orders", Expect.Malformed, HttpV2(method, "/orders", order)));
        }

        // Direct invocation: the request itself as the event.
        cases.Add(new FuzzCase("PlaceOrder", "seed: direct invocation", Expect.Valid, Seeds.OrderRequestBytes) { Channel = "direct" });
        foreach (var m in mutator.Json(order, 20))
        {
            cases.Add(new FuzzCase("PlaceOrder", "direct invocation: " + m.Label, Oracle.IsValidOrderRequest(m.Bytes) ? Expect.Valid : Envelopes.ForBytes(m.Bytes), m.Bytes) { Channel = "direct" });
        }

        // GET /orders/{id} and GET /hello.
        cases.Add(Http("GetOrder", "seed: GET /orders/{stored}", Expect.Valid, HttpV2("GET", "/orders/" + _order)));
        foreach (var (label, segment) in Seeds.Ids)
        {
            cases.Add(Http("GetOrder", "id: " + label, Expect.Either, HttpV2("GET", "/orders/" + segment)));
        }

        // GET /orders?customerId=: the customer's orders; without a customer, or with a page token it never gave out, a 400.
        cases.Add(Http("ListOrders", "seed: GET /orders?customerId=c-1", Expect.Valid, HttpV2("GET", "/orders", query: "customerId=c-1")));
        cases.Add(Http("ListOrders", "query: no customerId", Expect.Malformed, HttpV2("GET", "/orders")));
        foreach (var (label, token) in new[] { ("garbage", "%zz%00"), ("not base64", "!!!") })
        {
            cases.Add(Http("ListOrders", "query: pageToken " + label, Expect.Malformed, HttpV2("GET", "/orders", query: "customerId=c-1&pageToken=" + token)));
        }

        // A token is opaque: a well-formed one the API never gave out may be read as a position by a store; never a 5xx.
        cases.Add(Http("ListOrders", "query: pageToken huge", Expect.Either, HttpV2("GET", "/orders", query: "customerId=c-1&pageToken=" + new string('A', 5000))));

        var hello = HttpV2("GET", "/hello");
        cases.Add(Http("Hello", "seed: GET /hello", Expect.Valid, hello));
        foreach (var m in mutator.Json(hello, 25))
        {
            cases.Add(HttpBytes("Hello", "GET /hello envelope: " + m.Label, Envelopes.ForBytes(m.Bytes), m.Bytes));
        }

        AddSqs(cases, mutator);
        AddSns(cases, mutator);
        AddS3(cases, mutator);

        var schedule = Envelopes.Read("aws/scheduled-event.json");
        cases.Add(new FuzzCase("ExpireUnconfirmed", "seed: EventBridge schedule", Expect.Valid, Envelopes.Utf8(schedule)) { Channel = "eventbridge" });
        foreach (var m in mutator.Json(schedule, 30).Concat(mutator.Bytes(Envelopes.Utf8(schedule), 8)))
        {
            cases.Add(new FuzzCase("ExpireUnconfirmed", "schedule: " + m.Label, Envelopes.ForBytes(m.Bytes), m.Bytes) { Channel = "eventbridge" });
        }

        // Garbage to every function.
        foreach (var function in _functions.Select(f => f.Name))
        {
            foreach (var (label, bytes) in new (string, byte[])[] { ("not json", "not json at all"u8.ToArray()), ("empty", []), ("0xFF", [0xFF, 0xFE]), ("invalid UTF-8 in a string", [.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8]), ("deep nesting", Encoding.ASCII.GetBytes(new string('[', 5000) + new string(']', 5000))) })
            {
                cases.Add(new FuzzCase(function, "garbage: " + label, Expect.Malformed, bytes) { Channel = "garbage" });
            }
        }

        return cases;
    }

    private void AddSqs(List<FuzzCase> cases, Mutator mutator)
    {
        var good = Seeds.OrderPlaced(_order);
        var seed = Batch(("m-0", good));
        cases.Add(new FuzzCase("SendConfirmation", "seed: SQS batch", Expect.Valid, Envelopes.Utf8(seed)) { Channel = "sqs" });
        foreach (var m in mutator.Json(good, 40).Concat(mutator.Bytes(Envelopes.Utf8(good), 15)))
        {
            var text = Encoding.UTF8.GetString(m.Bytes);
            var bad = !Oracle.IsValidOrderPlaced(Encoding.UTF8.GetBytes(text));
            cases.Add(new FuzzCase("SendConfirmation", "SQS record body: " + m.Label, bad ? Expect.Malformed : Expect.Valid, Envelopes.Utf8(Batch(("m-0", good), ("m-1", text), ("m-2", good))))
            {
                Channel = "sqs",
                BadRecords = bad ? ["m-1"] : [],
            });
        }

        foreach (var m in mutator.Json(seed, 40).Concat(mutator.Bytes(Envelopes.Utf8(seed), 12)))
        {
            cases.Add(new FuzzCase("SendConfirmation", "SQS envelope: " + m.Label, Envelopes.ForEnvelope(m, seed, ["/Records", "/Records/0/eventSource", "/Records/0/messageId"]), m.Bytes) { Channel = "sqs" });
        }
    }

    private void AddSns(List<FuzzCase> cases, Mutator mutator)
    {
        var seed = Envelopes.With(Envelopes.Read("aws/sns-event.json"), ("Records/0/Sns/Message", Seeds.OrderConfirmed(_order)));
        cases.Add(new FuzzCase("AuditConfirmation", "seed: SNS", Expect.Valid, Envelopes.Utf8(seed)) { Channel = "sns" });
        foreach (var m in mutator.Json(Seeds.OrderConfirmed(_order), 30))
        {
            var text = Encoding.UTF8.GetString(m.Bytes);
            cases.Add(new FuzzCase("AuditConfirmation", "SNS message: " + m.Label, Oracle.IsValidOrderConfirmed(Encoding.UTF8.GetBytes(text)) ? Expect.Valid : Expect.Malformed,
                Envelopes.Utf8(Envelopes.With(seed, ("Records/0/Sns/Message", text)))) { Channel = "sns" });
        }

        foreach (var m in mutator.Json(seed, 30))
        {
            cases.Add(new FuzzCase("AuditConfirmation", "SNS envelope: " + m.Label, Envelopes.ForEnvelope(m, seed, ["/Records", "/Records/0/EventSource", "/Records/0/Sns", "/Records/0/Sns/Message"]), m.Bytes) { Channel = "sns" });
        }
    }

    /// <summary>An SQS event (the published sqs-event.json) of these messages, each on its first delivery.</summary>
    private static string Batch(params (string Id, string Body)[] records)
    {
        var root = JsonNode.Parse(Envelopes.Read("aws/sqs-event.json"))!;
        var template = root["Records"]![0]!;
        var array = new JsonArray();
        foreach (var (id, body) in records)
        {
            var record = template.DeepClone();
            record["messageId"] = id;
            record["body"] = body;
            record["attributes"]!["ApproximateReceiveCount"] = "1";
            array.Add(record);
        }

        root["Records"] = array;
        return root.ToJsonString();
    }

    /// <summary>ImportOrders: S3's notification of the CSV written at start, direct and through SQS; its envelope damaged.</summary>
    private void AddS3(List<FuzzCase> cases, Mutator mutator)
    {
        var seed = Envelopes.With(Envelopes.Read("aws/s3-event.json"), ("Records/0/s3/bucket/name", ImportsBucket), ("Records/0/s3/bucket/arn", "arn:aws:s3:::" + ImportsBucket),
            ("Records/0/s3/object/key", ImportedObject), ("Records/0/s3/object/size", Seeds.OrdersCsv.Length));
        cases.Add(new FuzzCase("ImportOrders", "seed: S3 notification", Expect.Valid, Envelopes.Utf8(seed)) { Channel = "s3" });
        cases.Add(new FuzzCase("ImportOrders", "S3 notification: another bucket", Expect.Malformed,
            Envelopes.Utf8(Envelopes.With(seed, ("Records/0/s3/bucket/name", "someone-elses-bucket")))) { Channel = "s3" });
        foreach (var m in mutator.Json(seed, 40).Concat(mutator.Bytes(Envelopes.Utf8(seed), 10)))
        {
            cases.Add(new FuzzCase("ImportOrders", "S3 envelope: " + m.Label,
                Envelopes.ForEnvelope(m, seed, ["/Records", "/Records/0/eventSource", "/Records/0/eventName", "/Records/0/s3", "/Records/0/s3/bucket", "/Records/0/s3/bucket/name", "/Records/0/s3/object", "/Records/0/s3/object/key"]),
                m.Bytes) { Channel = "s3" });
        }

        // Through an SQS queue (S3 → SQS → Lambda): a bad notification is that record's batch item failure, not the batch's.
        cases.Add(new FuzzCase("ImportOrders", "seed: S3 notification through SQS", Expect.Valid, Envelopes.Utf8(Batch(("m-0", seed)))) { Channel = "sqs" });
        foreach (var (label, body) in new[] { ("not json", "not json"), ("empty", ""), ("another bucket", Envelopes.With(seed, ("Records/0/s3/bucket/name", "someone-elses-bucket"))), ("no key", Envelopes.With(seed, ("Records/0/s3/object/key", null))) })
        {
            cases.Add(new FuzzCase("ImportOrders", "S3 notification through SQS: " + label, Expect.Malformed, Envelopes.Utf8(Batch(("m-0", seed), ("m-1", body), ("m-2", seed))))
            {
                Channel = "sqs",
                BadRecords = ["m-1"],
            });
        }
    }

    public async Task<Outcome?> InvokeAsync(string function, byte[] payload, TimeSpan? timeout = null)
    {
        try
        {
            return await _apis[function].Enqueue(payload).WaitAsync(timeout ?? Timeout);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public override async Task<Verdict> SendAsync(FuzzCase input)
    {
        var outcome = await InvokeAsync(input.Target, input.Bytes);
        var process = _processes[input.Target];
        if (outcome is null) return Judge.Silent(process.HasExited, process.ExitDescription);
        var body = Judge.Short(outcome.Body);
        if (outcome.Kind == "error")
        {
            return outcome.ErrorType switch
            {
                "Runtime.InvalidEvent" when input.BadRecords.Count > 0 => new Verdict(Category.Unclear, $"the whole batch was refused for one bad record: Runtime.InvalidEvent {body}"),
                "Runtime.InvalidEvent" when input.Expect == Expect.Valid => new Verdict(Category.Unclear, $"a valid event was refused: Runtime.InvalidEvent {body}"),
                "Runtime.InvalidEvent" => new Verdict(Category.Clear, "Runtime.InvalidEvent " + body),
                "Unhandled" => new Verdict(input.Expect == Expect.Valid ? Category.HandlerFailure : Category.ServerError, "Unhandled " + body),
                _ => new Verdict(Category.Unclear, $"error {outcome.ErrorType} {body}"),
            };
        }

        return input.Channel switch
        {
            "http-event" => JudgeHttpResult(input, outcome.Body),
            "sqs" => JudgeBatch(input, outcome.Body),
            _ => input.Expect == Expect.Malformed ? new Verdict(Category.Unclear, "accepted malformed event: " + body) : new Verdict(Category.Accepted, "response " + body),
        };
    }

    private static Verdict JudgeHttpResult(FuzzCase input, string body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            var status = root.GetProperty("statusCode").GetInt32();
            string? Header(string name)
            {
                foreach (var map in new[] { "headers", "multiValueHeaders" })
                {
                    if (!root.TryGetProperty(map, out var headers) || headers.ValueKind != JsonValueKind.Object) continue;
                    foreach (var header in headers.EnumerateObject())
                    {
                        if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return header.Value.ValueKind == JsonValueKind.Array ? string.Join(", ", header.Value.EnumerateArray()) : header.Value.ToString();
                    }
                }

                return null;
            }

            var verdict = Judge.Http(input, status, Header("Content-Type"), Header("Allow"), root.TryGetProperty("body", out var b) ? b.ToString() : "");
            return verdict with { Answer = "response " + verdict.Answer };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return input.Expect == Expect.Malformed ? new Verdict(Category.Unclear, "a response that is not an HTTP result: " + Judge.Short(body)) : new Verdict(Category.Accepted, "response " + Judge.Short(body));
        }
    }

    private static Verdict JudgeBatch(FuzzCase input, string body)
    {
        var failed = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var item in JsonDocument.Parse(body).RootElement.GetProperty("batchItemFailures").EnumerateArray()) failed.Add(item.GetProperty("itemIdentifier").GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new Verdict(Category.Unclear, "not a batch response: " + Judge.Short(body));
        }

        var missing = input.BadRecords.Where(r => !failed.Contains(r)).ToList();
        if (missing.Count > 0) return new Verdict(Category.Unclear, $"bad record(s) {string.Join(", ", missing)} not in batchItemFailures: {Judge.Short(body)}");
        if (input.BadRecords.Count > 0) return new Verdict(Category.Clear, "batchItemFailures " + Judge.Short(body));
        return input.Expect == Expect.Malformed ? new Verdict(Category.Unclear, "accepted malformed batch: " + Judge.Short(body)) : new Verdict(Category.Accepted, "batch " + Judge.Short(body));
    }

    public override async Task<(bool Ok, string Answer)> ServesValidRequestAsync()
    {
        var outcome = await InvokeAsync("PlaceOrder", Envelopes.Utf8(HttpV2("POST", "/orders", Seeds.OrderRequest)));
        var ok = outcome is { Kind: "response" } && JsonDocument.Parse(outcome.Body).RootElement.GetProperty("statusCode").GetInt32() == 201;
        return (ok, outcome is null ? "no answer" : $"{outcome.Kind} {Judge.Short(outcome.Body)}");
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values) process.Dispose();
        foreach (var api in _apis.Values) await api.DisposeAsync();
    }
}
