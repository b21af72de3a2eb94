using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portable.Fuzz.Tests.Fixtures;
using Portable.Fuzz.Tests.Fuzzing;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Fuzz.Tests.Hosts;

/// <summary>
/// The GCP host as Cloud Run functions starts it: one process per function (<c>FUNCTION_TARGET</c>, <c>PORT</c>), Firestore and
/// Pub/Sub through <c>FIRESTORE_EMULATOR_HOST</c> / <c>PUBSUB_EMULATOR_HOST</c> pointed at the in-test fakes the GCP suite uses (no
/// Google emulator installs here). HTTP functions get the HTTP cases; the queue, topic and schedule functions get Pub/Sub push
/// envelopes, <c>messagePublished</c> CloudEvents in binary (<c>ce-*</c> headers) and structured mode, legacy events, and
/// Cloud Scheduler requests, each valid and damaged. The functions are those of the published app's catalog (<c>--describe</c>);
/// their buckets live in the in-test Cloud Storage (<c>STORAGE_EMULATOR_HOST</c>), and signed URLs are signed with the test service account's key.
/// </summary>
internal sealed class GcpFuzzHost : FuzzHost
{
    private readonly Dictionary<string, HostProcess> _processes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);
    private FakeGoogleApis? _google;
    private FakeCloudStorage? _storage;
    private string _executable = "";
    private string _order = "o-missing";

    public override string Name => "GCP";

    public override IReadOnlyDictionary<string, HostProcess> Processes => _processes;

    public int PortOf(string function) => _ports[function];

    public override async Task StartAsync()
    {
        _executable = PublishedHost.Executable("gcp", await PublishedHost.GetAsync("gcp"));
        _google = await FakeGoogleApis.StartAsync();
        _storage = await FakeCloudStorage.StartAsync();
        var catalog = await PublishedCatalog.ReadAsync(_executable);
        foreach (var bucket in catalog.SelectMany(f => f.Buckets).Distinct(StringComparer.Ordinal)) _storage.CreateBucket($"test-project-{bucket}");
        foreach (var function in catalog)
        {
            _ports[function.Name] = HostProcess.FreePort();
            await RestartAsync(function.Name);
        }

        var placed = await RawHttp.SendAsync(_ports["PlaceOrder"], RawHttp.Request("POST", "/orders", Seeds.OrderRequestBytes, "application/json"), Timeout);
        _order = placed is { Status: 201 } ? JsonDocument.Parse(placed.Body).RootElement.GetProperty("orderId").GetString()! : _order;
    }

    protected override async Task RestartAsync(string target)
    {
        _processes.GetValueOrDefault(target)?.Dispose();
        var process = HostProcess.Start($"{Name} {target}", _executable, new Dictionary<string, string>
        {
            ["PORT"] = _ports[target].ToString(CultureInfo.InvariantCulture),
            ["FUNCTION_TARGET"] = target,
            ["GOOGLE_CLOUD_PROJECT"] = "test-project",
            ["FIRESTORE_EMULATOR_HOST"] = _google!.HostAndPort,
            ["PUBSUB_EMULATOR_HOST"] = _google.HostAndPort,
            ["STORAGE_EMULATOR_HOST"] = _storage!.HostAndPort,
            ["GCE_METADATA_HOST"] = _storage.HostAndPort,
            ["Portable__Gcp__SigningKeyFile"] = TestServiceAccount.KeyFile, // GetOrder's receipt links, checked by the in-test Cloud Storage
        });
        _processes[target] = process;
        await process.WaitForPortAsync(_ports[target], TimeSpan.FromSeconds(30));
    }

    public override IReadOnlyList<FuzzCase> Generate(Mutator mutator)
    {
        // Each function's cases go to its own process.
        var cases = HttpCases.Generate(mutator, "", fn => fn, _order, anyPathReachesTheFunction: true).Where(c => _ports.ContainsKey(c.Target)).ToList();
        if (_ports.ContainsKey("SendConfirmation")) AddMessages(cases, mutator, "SendConfirmation", "order-placed", Seeds.OrderPlaced(_order), b => Oracle.IsValidOrderPlaced(b), 15);
        AddMessages(cases, mutator, "AuditConfirmation", "order-confirmations", Seeds.OrderConfirmed(_order), b => Oracle.IsValidOrderConfirmed(b), 8);

        // ExpireUnconfirmed: Cloud Scheduler over HTTP, or through a Pub/Sub topic.
        const string Fn = "ExpireUnconfirmed";
        cases.Add(new FuzzCase(Fn, "seed: scheduler", Expect.Valid, RawHttp.Request("POST", "/", [], null, [("X-CloudScheduler-ScheduleTime", "2026-11-30T09:00:00Z"), ("X-CloudScheduler-JobName", "expire")])) { Channel = "schedule" });
        foreach (var time in new[] { "not a time", "", "2026-13-45T99:99:99Z", new string('9', 1100), "\u00ff" })
        {
            cases.Add(new FuzzCase(Fn, $"scheduler time: '{Judge.Short(time, 20)}'", time.Length == 0 ? Expect.Either : Expect.Malformed,
                RawHttp.Request("POST", "/", [], null, [("X-CloudScheduler-ScheduleTime", time)])) { Channel = "schedule", Framing = time == "\u00ff" });
        }

        // A Cloud Scheduler HTTP job may send any body, which the function ignores: damaged bytes may be accepted (but never a 5xx).
        foreach (var m in mutator.Bytes(Envelopes.Utf8(Push("{}", "order-placed")), 12))
        {
            cases.Add(new FuzzCase(Fn, "scheduler push bytes: " + m.Label, Expect.Either, RawHttp.Request("POST", "/", m.Bytes, "application/json")) { Channel = "schedule" });
        }

        return cases;
    }

    private static string Push(string message, string topic) => new JsonObject
    {
        ["message"] = new JsonObject
        {
            ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(message)),
            ["messageId"] = "m-1",
            ["publishTime"] = "2026-11-30T09:00:00.000Z",
            ["attributes"] = new JsonObject(),
        },
        ["subscription"] = $"projects/test-project/subscriptions/{topic}-push",
    }.ToJsonString();

    /// <summary>The message in each Pub/Sub shape, valid; its body damaged (judged by the oracle); and each envelope damaged.</summary>
    private static void AddMessages(List<FuzzCase> cases, Mutator mutator, string fn, string topic, string message, Func<byte[], bool> oracle, int perShape)
    {
        var pushPath = $"/projects/test-project/topics/{topic}";
        var source = $"//pubsub.googleapis.com/projects/test-project/topics/{topic}";
        FuzzCase PushCase(string label, Expect expect, byte[] body) => new(fn, "push: " + label, expect, RawHttp.Request("POST", pushPath, body, "application/json")) { Channel = "push" };
        FuzzCase Binary(string label, Expect expect, byte[] body, IEnumerable<(string, string)> headers)
            => new(fn, "binary CloudEvent: " + label, expect, RawHttp.Request("POST", "/", body, "application/json", headers)) { Channel = "cloudevent" };
        (string, string)[] ceHeaders = [("ce-specversion", "1.0"), ("ce-type", "google.cloud.pubsub.topic.v1.messagePublished"), ("ce-source", source), ("ce-id", "m-1"), ("ce-time", "2026-11-30T09:00:00Z")];
        var structuredSeed = Envelopes.With(Envelopes.Read("gcp/pubsub_binary-cloudevent-input.json"), ("source", source), ("data", JsonNode.Parse(Push(message, topic))));
        var legacySeed = Envelopes.With(Envelopes.Read("gcp/legacy_pubsub-legacy-input.json"), ("resource", $"projects/test-project/topics/{topic}"), ("data/data", Convert.ToBase64String(Encoding.UTF8.GetBytes(message))));

        var push = Push(message, topic);
        cases.Add(PushCase("seed", Expect.Valid, Envelopes.Utf8(push)));
        cases.Add(Binary("seed", Expect.Valid, Envelopes.Utf8(push), ceHeaders));
        cases.Add(new FuzzCase(fn, "structured CloudEvent: seed", Expect.Valid, RawHttp.Request("POST", "/", Envelopes.Utf8(structuredSeed), "application/cloudevents+json")) { Channel = "cloudevent" });
        cases.Add(new FuzzCase(fn, "legacy event: seed", Expect.Valid, RawHttp.Request("POST", "/", Envelopes.Utf8(legacySeed), "application/json")) { Channel = "legacy" });

        // The message itself damaged, in a valid envelope.
        foreach (var m in mutator.Json(message, perShape * 2).Concat(mutator.Bytes(Envelopes.Utf8(message), perShape)))
        {
            var expect = oracle(m.Bytes) ? Expect.Valid : Expect.Malformed;
            var damaged = Envelopes.Utf8(Push(Encoding.UTF8.GetString(m.Bytes), topic));
            var asBase64 = JsonNode.Parse(damaged)!;
            asBase64["message"]!["data"] = Convert.ToBase64String(m.Bytes);
            cases.Add(PushCase("message " + m.Label, expect, Envelopes.Utf8(asBase64.ToJsonString())));
            cases.Add(Binary("message " + m.Label, expect, Envelopes.Utf8(asBase64.ToJsonString()), ceHeaders));
        }

        // The envelopes damaged.
        foreach (var m in mutator.Json(push, perShape).Concat(mutator.Bytes(Envelopes.Utf8(push), perShape / 2)))
        {
            cases.Add(PushCase("envelope " + m.Label, Envelopes.ForEnvelope(m, push, ["/message", "/message/messageId"]), m.Bytes));
        }

        foreach (var m in mutator.Json(structuredSeed, perShape).Concat(mutator.Bytes(Envelopes.Utf8(structuredSeed), perShape / 2)))
        {
            cases.Add(new FuzzCase(fn, "structured CloudEvent: " + m.Label, Envelopes.ForEnvelope(m, structuredSeed, ["/specversion", "/type", "/source", "/id", "/data", "/data/message"]),
                RawHttp.Request("POST", "/", m.Bytes, "application/cloudevents+json")) { Channel = "cloudevent" });
        }

        foreach (var m in mutator.Json(legacySeed, perShape))
        {
            cases.Add(new FuzzCase(fn, "legacy event: " + m.Label, Envelopes.ForEnvelope(m, legacySeed, ["/eventType", "/data", "/eventId"]), RawHttp.Request("POST", "/", m.Bytes, "application/json")) { Channel = "legacy" });
        }

        // Without ce-specversion the request is not a binary CloudEvent, and its body is a valid push envelope.
        var without = new Dictionary<string, Expect>(StringComparer.Ordinal) { ["ce-specversion"] = Expect.Either, ["ce-time"] = Expect.Valid };
        // ce-source is a URI-reference and ce-id any non-empty string: garbage there may be accepted.
        var garbage = new Dictionary<string, Expect>(StringComparer.Ordinal) { ["ce-source"] = Expect.Either, ["ce-id"] = Expect.Either };
        for (var i = 0; i < ceHeaders.Length; i++)
        {
            var (name, _) = ceHeaders[i];
            cases.Add(Binary($"without {name}", without.GetValueOrDefault(name, Expect.Malformed), Envelopes.Utf8(push), ceHeaders.Where((_, j) => j != i)));
            cases.Add(Binary($"{name} garbage", garbage.GetValueOrDefault(name, Expect.Malformed), Envelopes.Utf8(push), ceHeaders.Select((h, j) => j == i ? (name, "%ZZ not-valid \u00e9") : h)));
        }

        cases.Add(Binary("ce-type of a storage event", Expect.Malformed, Envelopes.Utf8(push), ceHeaders.Select(h => h.Item1 == "ce-type" ? (h.Item1, "google.cloud.storage.object.v1.finalized") : h)));
        cases.Add(new FuzzCase(fn, "batch CloudEvent content type", Expect.Malformed, RawHttp.Request("POST", "/", Envelopes.Utf8("[" + structuredSeed + "]"), "application/cloudevents-batch+json")) { Channel = "cloudevent" });
    }

    public override async Task<Verdict> SendAsync(FuzzCase input)
    {
        var process = _processes[input.Target];
        var response = await RawHttp.SendAsync(_ports[input.Target], input.Bytes, Timeout);
        if (response is null) return Judge.Silent(process.HasExited, process.ExitDescription);
        if (response.Status == 0) return Judge.Closed(process.HasExited, process.ExitDescription);
        return Judge.Http(input, response);
    }

    public override async Task<(bool Ok, string Answer)> ServesValidRequestAsync()
    {
        var response = await RawHttp.SendAsync(_ports["PlaceOrder"], RawHttp.Request("POST", "/orders", Seeds.OrderRequestBytes, "application/json"), Timeout);
        var (fn, topic, message) = _ports.ContainsKey("SendConfirmation")
            ? ("SendConfirmation", "order-placed", Seeds.OrderPlaced(_order))
            : ("AuditConfirmation", "order-confirmations", Seeds.OrderConfirmed(_order));
        var push = await RawHttp.SendAsync(_ports[fn], RawHttp.Request("POST", $"/projects/test-project/topics/{topic}", Envelopes.Utf8(Push(message, topic)), "application/json"), Timeout);
        return (response?.Status == 201 && push?.Status is >= 200 and < 300,
            $"POST /orders: {response?.Status.ToString(CultureInfo.InvariantCulture) ?? "no answer"}; push: {push?.Status.ToString(CultureInfo.InvariantCulture) ?? "no answer"} {push?.BodyText()}");
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values) process.Dispose();
        if (_google is not null) await _google.DisposeAsync();
        if (_storage is not null) await _storage.DisposeAsync();
    }
}
