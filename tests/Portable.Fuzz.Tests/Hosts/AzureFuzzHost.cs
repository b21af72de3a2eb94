using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portable.Fuzz.Tests.Fixtures;
using Portable.Fuzz.Tests.Fuzzing;

namespace Portable.Fuzz.Tests.Hosts;

/// <summary>
/// The Azure custom handler as the Functions host starts it (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, storage in
/// <c>AzureWebJobsStorage</c>, here Azurite): forwarded HTTP requests at their routes (empty route prefix), and invocation payloads
/// <c>POST /{Function}</c> with <c>{"Data":…,"Metadata":…}</c> for the queue, timer and Event Grid functions (and a
/// non-forwarded <c>Data.req</c>). A clear answer to an invocation is a 4xx with <c>Logs</c> (the payload is not the host's),
/// a 200 whose log says the message went to the poison queue at once, or an HTTP function's 4xx problem in <c>Outputs.res</c>.
/// </summary>
internal sealed class AzureFuzzHost : FuzzHost
{
    private readonly Dictionary<string, HostProcess> _processes = new(StringComparer.Ordinal);
    private string _executable = "";
    private string _order = "o-missing";
    private HttpSink? _eventGrid;

    public override string Name => "Azure";

    public int Port { get; } = HostProcess.FreePort();

    public override IReadOnlyDictionary<string, HostProcess> Processes => _processes;

    public HostProcess Process => _processes[Name];

    public override async Task StartAsync()
    {
        _executable = PublishedHost.Executable("azure", await PublishedHost.GetAsync("azure"));
        _eventGrid = await HttpSink.StartAsync();
        await RestartAsync(Name);
        var placed = await RawHttp.SendAsync(Port, RawHttp.Request("POST", "/orders", Seeds.OrderRequestBytes, "application/json"), Timeout);
        _order = placed is { Status: 201 } ? JsonDocument.Parse(placed.Body).RootElement.GetProperty("orderId").GetString()! : _order;
    }

    protected override async Task RestartAsync(string target)
    {
        _processes.GetValueOrDefault(Name)?.Dispose();
        var storage = Environment.GetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING")
            ?? throw new InvalidOperationException("AZURE_STORAGE_CONNECTION_STRING is not set: run tests/emulators/start.sh and source tests/emulators/.env, or ./test.sh.");
        var process = HostProcess.Start(Name, _executable, new Dictionary<string, string>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["AzureWebJobsStorage"] = storage,
            ["Portable__Azure__Topics__order_confirmations__Endpoint"] = _eventGrid!.Address + "/api/events",
            ["Portable__Azure__Topics__order_confirmations__Key"] = "fuzz",
        });
        _processes[Name] = process;
        await process.WaitForPortAsync(Port, TimeSpan.FromSeconds(30));
    }

    public override IReadOnlyList<FuzzCase> Generate(Mutator mutator)
    {
        var cases = HttpCases.Generate(mutator, "", _ => Name, _order).ToList();

        // SendConfirmation: a Storage Queue message, as the host gives it (a string).
        var queueSeed = Envelopes.With(Envelopes.Read("azure/request.queue-trigger.json"), ("Data/myQueueItem", null), ("Data/message", Seeds.OrderPlaced(_order)), ("Metadata/sys/MethodName", "SendConfirmation"));
        cases.Add(Invoke("SendConfirmation", "seed: queue message", Expect.Valid, Envelopes.Utf8(queueSeed)));
        var message = Seeds.OrderPlaced(_order);
        foreach (var m in mutator.Json(message, 50).Concat(mutator.Bytes(Envelopes.Utf8(message), 20)))
        {
            var text = Encoding.UTF8.GetString(m.Bytes);
            var payload = Envelopes.With(queueSeed, ("Data/message", text));
            cases.Add(Invoke("SendConfirmation", "queue message: " + m.Label, Oracle.IsValidOrderPlaced(Encoding.UTF8.GetBytes(text)) ? Expect.Valid : Expect.Malformed, Envelopes.Utf8(payload)));
        }

        string[] payloadRequired = ["/Data"];
        foreach (var m in mutator.Json(queueSeed, 40).Concat(mutator.Bytes(Envelopes.Utf8(queueSeed), 25)))
        {
            cases.Add(Invoke("SendConfirmation", "queue payload: " + m.Label, Envelopes.ForEnvelope(m, queueSeed, payloadRequired), m.Bytes));
        }

        // ExpireUnconfirmed: a timer.
        var timerSeed = Envelopes.With(Envelopes.Read("azure/request.timer-trigger.json"), ("Metadata/sys/MethodName", "ExpireUnconfirmed"));
        cases.Add(Invoke("ExpireUnconfirmed", "seed: timer", Expect.Valid, Envelopes.Utf8(timerSeed)));
        foreach (var m in mutator.Json(timerSeed, 20).Concat(mutator.Bytes(Envelopes.Utf8(timerSeed), 10)))
        {
            cases.Add(Invoke("ExpireUnconfirmed", "timer payload: " + m.Label, Envelopes.ForEnvelope(m, timerSeed, payloadRequired), m.Bytes));
        }

        // AuditConfirmation: the Event Grid event that carries the topic's notification.
        var eventVector = JsonNode.Parse(Envelopes.Read("azure/request.eventgrid-trigger.json"))!;
        var gridEvent = eventVector["Data"]!["eventGridEvent"]!.DeepClone();
        gridEvent["eventType"] = "order-confirmations";
        gridEvent["data"] = JsonNode.Parse(Seeds.OrderConfirmed(_order));
        eventVector["Data"] = new JsonObject { ["event"] = gridEvent };
        var eventSeed = eventVector.ToJsonString();
        cases.Add(Invoke("AuditConfirmation", "seed: event", Expect.Valid, Envelopes.Utf8(eventSeed)));
        foreach (var m in mutator.Json(Seeds.OrderConfirmed(_order), 25))
        {
            var payload = m.IsJson && Envelopes.IsJson(m.Bytes) ? Envelopes.With(eventSeed, ("Data/event/data", JsonNode.Parse(m.Bytes))) : null;
            if (payload is null) continue;
            cases.Add(Invoke("AuditConfirmation", "notification: " + m.Label, Oracle.IsValidOrderConfirmed(Encoding.UTF8.GetBytes(JsonNode.Parse(payload)!["Data"]!["event"]!["data"]?.ToJsonString() ?? "null")) ? Expect.Valid : Expect.Malformed, Envelopes.Utf8(payload)));
        }

        foreach (var m in mutator.Json(eventSeed, 25))
        {
            cases.Add(Invoke("AuditConfirmation", "event payload: " + m.Label, Envelopes.ForEnvelope(m, eventSeed, ["/Data", "/Data/event", "/Data/event/id", "/Data/event/eventType"]), m.Bytes));
        }

        // ImportOrders: Event Grid's BlobCreated for container imports. The seed's blob was never uploaded, so the import finds
        // nothing to do (an accepted event); an event of another container is skipped with a log line (the storage account's system
        // topic carries every container's events), so it is accepted too; the envelope damaged.
        var blobVector = JsonNode.Parse(Envelopes.Read("azure/request.eventgrid-trigger.json"))!;
        var blobEvent = blobVector["Data"]!["eventGridEvent"]!.DeepClone();
        blobEvent["subject"] = "/blobServices/default/containers/imports/blobs/fuzz/never-uploaded.csv";
        blobEvent["data"]!["contentType"] = "text/csv";
        blobEvent["data"]!["url"] = "https://acct.blob.core.windows.net/imports/fuzz/never-uploaded.csv";
        blobVector["Data"] = new JsonObject { ["event"] = blobEvent };
        blobVector["Metadata"]!["sys"]!["MethodName"] = "ImportOrders";
        var blobSeed = blobVector.ToJsonString();
        cases.Add(Invoke("ImportOrders", "seed: BlobCreated", Expect.Valid, Envelopes.Utf8(blobSeed)));
        cases.Add(Invoke("ImportOrders", "BlobCreated: another container", Expect.Valid,
            Envelopes.Utf8(Envelopes.With(blobSeed, ("Data/event/subject", "/blobServices/default/containers/someone-elses/blobs/a.csv")))));
        foreach (var m in mutator.Json(blobSeed, 30))
        {
            cases.Add(Invoke("ImportOrders", "BlobCreated payload: " + m.Label, Envelopes.ForEnvelope(m, blobSeed, ["/Data", "/Data/event", "/Data/event/id", "/Data/event/eventType", "/Data/event/subject"]), m.Bytes));
        }

        // PlaceOrder invoked with Data.req (not forwarded), as the host does when forwarding is off.
        var reqSeed = Envelopes.With(Envelopes.Read("azure/request.http-trigger.json"), ("Data/req/Url", "http://localhost:7071/orders"), ("Data/req/Body", Seeds.OrderRequest), ("Data/req/Query", new JsonObject()), ("Metadata/sys/MethodName", "PlaceOrder"));
        cases.Add(Invoke("PlaceOrder", "seed: Data.req", Expect.Valid, Envelopes.Utf8(reqSeed)));
        cases.Add(Invoke("PlaceOrder", "Data.req: URL of another route", Expect.Malformed, Envelopes.Utf8(Envelopes.With(reqSeed, ("Data/req/Url", "http://localhost:7071/nothing/here")))));
        cases.Add(Invoke("PlaceOrder", "Data.req: empty method", Expect.Malformed, Envelopes.Utf8(Envelopes.With(reqSeed, ("Data/req/Method", "")))));
        foreach (var m in mutator.Json(reqSeed, 30))
        {
            cases.Add(Invoke("PlaceOrder", "Data.req payload: " + m.Label, Envelopes.ForEnvelope(m, reqSeed, ["/Data", "/Data/req", "/Data/req/Url", "/Data/req/Method"]), m.Bytes));
        }

        cases.Add(Invoke("NoSuchFunction", "unknown function", Expect.Malformed, Envelopes.Utf8(queueSeed)));
        return cases;
    }

    private FuzzCase Invoke(string function, string label, Expect expect, byte[] payload)
        => new(Name, $"{label} [POST /{function}]", expect, RawHttp.Request("POST", "/" + function, payload, "application/json",
            [("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString())])) { Channel = "invocation" };

    public override async Task<Verdict> SendAsync(FuzzCase input)
    {
        var response = await RawHttp.SendAsync(Port, input.Bytes, Timeout);
        if (response is null) return Judge.Silent(Process.HasExited, Process.ExitDescription);
        if (response.Status == 0) return Judge.Closed(Process.HasExited, Process.ExitDescription);
        return input.Channel == "invocation" ? JudgeInvocation(input, response) : Judge.Http(input, response);
    }

    /// <summary>The custom handler's answer to an invocation: <c>{"Outputs":{"res":…},"Logs":[…],"ReturnValue":…}</c> and a status.</summary>
    private static Verdict JudgeInvocation(FuzzCase input, RawResponse response)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(response.Body).RootElement;
        }
        catch (JsonException)
        {
            return new Verdict(response.Status >= 500 ? Category.ServerError : Category.Unclear, $"{response.Status} with a body that is not the handler's JSON: '{response.BodyText(120)}'");
        }

        var logs = root.TryGetProperty("Logs", out var l) && l.ValueKind == JsonValueKind.Array ? l.EnumerateArray().Select(x => x.ToString()).ToList() : [];
        var logText = Judge.Short(string.Join(" | ", logs));
        if (response.Status >= 500)
        {
            if (logs.Count == 0) return new Verdict(Category.ServerError, $"{response.Status} without Logs");
            return new Verdict(input.Expect == Expect.Valid ? Category.HandlerFailure : Category.ServerError, $"{response.Status} Logs: {logText}");
        }

        if (response.Status is >= 400 and < 500)
        {
            return logs.Count > 0 ? new Verdict(Category.Clear, $"{response.Status} Logs: {logText}") : new Verdict(Category.Unclear, $"{response.Status} without Logs");
        }

        if (root.TryGetProperty("Outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Object && outputs.TryGetProperty("res", out var res))
        {
            var status = int.TryParse(res.TryGetProperty("statusCode", out var s) ? s.ToString() : "", NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : 0;
            var headers = res.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object ? h : default;
            string? Header(string name) => headers.ValueKind == JsonValueKind.Object ? headers.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.ToString() is { Length: > 0 } v ? v : null : null;
            var verdict = Judge.Http(input, status, Header("Content-Type"), Header("Allow"), res.TryGetProperty("body", out var b) ? b.ToString() : "");
            return verdict with { Answer = "res " + verdict.Answer };
        }

        if (logs.Any(x => x.Contains("poison", StringComparison.OrdinalIgnoreCase)))
        {
            return input.Expect == Expect.Valid
                ? new Verdict(Category.Unclear, $"a valid message was poisoned: {logText}")
                : new Verdict(Category.Clear, $"{response.Status}, poisoned at once: {logText}");
        }

        return input.Expect == Expect.Malformed
            ? new Verdict(Category.Unclear, $"accepted malformed input: {response.Status} Logs: {logText}")
            : new Verdict(Category.Accepted, $"{response.Status} Logs: {logText}");
    }

    public override async Task<(bool Ok, string Answer)> ServesValidRequestAsync()
    {
        var response = await RawHttp.SendAsync(Port, RawHttp.Request("POST", "/orders", Seeds.OrderRequestBytes, "application/json"), Timeout);
        return (response?.Status == 201, response is null ? "no answer" : $"{response.Status} {response.BodyText()}");
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values) process.Dispose();
        if (_eventGrid is not null) await _eventGrid.DisposeAsync();
    }
}
