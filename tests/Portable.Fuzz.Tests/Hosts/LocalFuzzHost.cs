using System.Globalization;
using System.Text;
using System.Text.Json;
using Portable.Fuzz.Tests.Fixtures;
using Portable.Fuzz.Tests.Fuzzing;

namespace Portable.Fuzz.Tests.Hosts;

/// <summary>
/// The local host as <c>dotnet run</c> would start it: <c>PORT</c>, a fresh data folder. HTTP cases, plus queue messages posted
/// through the admin API (<c>POST /_portable/queues/{queue}/messages</c>): an unreadable message must be dead-lettered at once
/// (one attempt), and a queue no function consumes must answer 404.
/// </summary>
internal sealed class LocalFuzzHost : FuzzHost
{
    private const string Queue = "order-placed";
    private readonly Dictionary<string, HostProcess> _processes = new(StringComparer.Ordinal);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "portable-fuzz-local-" + Guid.NewGuid().ToString("N"));
    private string _executable = "";
    private string _order = "o-missing";

    public override string Name => "Local";

    public int Port { get; } = HostProcess.FreePort();

    public override IReadOnlyDictionary<string, HostProcess> Processes => _processes;

    public HostProcess Process => _processes[Name];

    public override async Task StartAsync()
    {
        _executable = PublishedHost.Executable("local", await PublishedHost.GetAsync("local"));
        await RestartAsync(Name);
        var placed = await RawHttp.SendAsync(Port, RawHttp.Request("POST", "/orders", Seeds.OrderRequestBytes, "application/json"), Timeout);
        _order = placed is { Status: 201 } ? JsonDocument.Parse(placed.Body).RootElement.GetProperty("orderId").GetString()! : _order;
    }

    protected override async Task RestartAsync(string target)
    {
        _processes.GetValueOrDefault(Name)?.Dispose();
        var process = HostProcess.Start(Name, _executable, new Dictionary<string, string>
        {
            ["PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["PORTABLE_DATA_DIR"] = _dataDir,
        });
        _processes[Name] = process;
        await process.WaitForPortAsync(Port, TimeSpan.FromSeconds(30));
    }

    public override IReadOnlyList<FuzzCase> Generate(Mutator mutator)
    {
        var cases = HttpCases.Generate(mutator, "", _ => Name, _order).ToList();
        FuzzCase Message(string label, Expect expect, byte[] body, string queue = Queue)
            => new(Name, label, expect, RawHttp.Request("POST", $"/_portable/queues/{queue}/messages", body, "application/json"))
            {
                Channel = "queue",
                QueueBody = Encoding.UTF8.GetString(body),
            };

        var seed = Seeds.OrderPlaced(_order);
        cases.Add(Message("seed: queue message", Expect.Valid, Encoding.UTF8.GetBytes(seed)));
        cases.Add(Message("queue: no function consumes it", Expect.Malformed, Encoding.UTF8.GetBytes(seed), "no-such-queue"));
        foreach (var m in mutator.Json(seed, 60).Concat(mutator.Bytes(Encoding.UTF8.GetBytes(seed), 25)))
        {
            cases.Add(Message("queue message: " + m.Label, Oracle.IsValidOrderPlaced(m.Bytes) ? Expect.Valid : Expect.Malformed, m.Bytes));
        }

        foreach (var m in mutator.Json(Seeds.OrderRequest, 45))
        {
            cases.Add(new FuzzCase(Name, "invoke PlaceOrder: " + m.Label, Oracle.IsValidOrderRequest(m.Bytes) ? Expect.Valid : Expect.Malformed,
                RawHttp.Request("POST", "/_portable/functions/PlaceOrder/invoke", m.Bytes, "application/json")) { Channel = "invoke" });
        }

        return cases;
    }

    public override async Task<Verdict> SendAsync(FuzzCase input)
    {
        var response = await RawHttp.SendAsync(Port, input.Bytes, Timeout);
        if (response is null) return Judge.Silent(Process.HasExited, Process.ExitDescription);
        if (response.Status == 0) return Judge.Closed(Process.HasExited, Process.ExitDescription);

        // A message the queue took (202) is judged once the queue had time to deliver it: see SettleAsync.
        if (input.Channel == "queue" && response.Status == 202 && input.Expect != Expect.Valid) return new Verdict(Category.Unclear, "202: pending dead-letter check");
        if (input.Channel == "queue" && response.Status == 202) return new Verdict(Category.Accepted, "202");
        return Judge.Http(input, response);
    }

    /// <summary>Each unreadable message the queue took must be dead-lettered after one attempt, within a few seconds.</summary>
    public override async Task SettleAsync(List<(FuzzCase Case, Verdict Verdict)> results)
    {
        var pending = results.Select((r, i) => (r, i)).Where(x => x.r.Verdict.Answer == "202: pending dead-letter check").ToList();
        if (pending.Count == 0) return;
        var deadline = DateTime.UtcNow.AddSeconds(6);
        Dictionary<string, int> dead = [];
        while (DateTime.UtcNow < deadline)
        {
            dead = await DeadLettersAsync();
            if (pending.All(p => dead.ContainsKey(p.r.Case.QueueBody!))) break;
            await Task.Delay(250);
        }

        foreach (var (r, i) in pending)
        {
            results[i] = (r.Case, dead.TryGetValue(r.Case.QueueBody!, out var attempts)
                ? attempts == 1 ? new Verdict(Category.Clear, "202, dead-lettered at once") : new Verdict(Category.Unclear, $"202, dead-lettered after {attempts} attempts")
                : new Verdict(Category.Unclear, "202, and not dead-lettered within 6 s (retried, or waiting forever)"));
        }
    }

    private async Task<Dictionary<string, int>> DeadLettersAsync()
    {
        var response = await RawHttp.SendAsync(Port, RawHttp.Request("GET", $"/_portable/queues/{Queue}/dead-letters"), Timeout);
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        if (response is not { Status: 200 }) return found;
        foreach (var letter in JsonDocument.Parse(response.Body).RootElement.EnumerateArray())
        {
            found[letter.GetProperty("body").GetString()!] = letter.GetProperty("attempts").GetInt32();
        }

        return found;
    }

    public override async Task<(bool Ok, string Answer)> ServesValidRequestAsync()
    {
        var response = await RawHttp.SendAsync(Port, RawHttp.Request("POST", "/orders", Seeds.OrderRequestBytes, "application/json"), Timeout);
        return (response?.Status == 201, response is null ? "no answer" : $"{response.Status} {response.BodyText()}");
    }

    public override ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values) process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
