// Usage: LambdaBench RUNS WARM NAME=EXECUTABLE [NAME=EXECUTABLE ...]
// Cold start: from Process.Start to the first response POSTed to the Runtime API (an HTTP API v2 GET /hello?name=Ada).
// Optional environment: BENCH_EVENT (a file with the event to hand out instead), BENCH_HANDLER (the _HANDLER given to each
// process; Hello by default), BENCH_EXPECT (text every posted response must contain, e.g. "statusCode":200, so a wrong answer
// fails the run instead of being measured). RUNS 0 measures warm throughput only (after one unmeasured start).
// Warm: invocations a second over WARM events handed out back to back to one process.
// Candidates are measured interleaved (run 1 of each, run 2 of each, ...) so they share the machine's state.
// Each process gets its own Runtime API path prefix (AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT/pN) and its own event channel, so a
// killed process's outstanding GET next can never take the event meant for the next process.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

var runs = int.Parse(args[0], CultureInfo.InvariantCulture);
var warmCount = int.Parse(args[1], CultureInfo.InvariantCulture);
var candidates = args.Skip(2).Select(a => a.Split('=', 2)).Select(p => (Name: p[0], Path: p[1])).ToList();
var handler = Environment.GetEnvironmentVariable("BENCH_HANDLER") is { Length: > 0 } h ? h : "Hello";
var expect = Environment.GetEnvironmentVariable("BENCH_EXPECT") is { Length: > 0 } e ? e : null;
var Event = Environment.GetEnvironmentVariable("BENCH_EVENT") is { Length: > 0 } eventFile ? File.ReadAllText(eventFile) : """{"version":"2.0","routeKey":"$default","rawPath":"/hello","rawQueryString":"name=Ada","headers":{"host":"x"},"requestContext":{"http":{"method":"GET","path":"/hello","protocol":"HTTP/1.1","sourceIp":"192.0.2.1","userAgent":"bench"},"requestId":"r","routeKey":"$default","stage":"$default"},"isBase64Encoded":false}""";

var pending = new System.Collections.Concurrent.ConcurrentDictionary<string, Channel<string>>();
var answered = Channel.CreateUnbounded<(string Id, long At, string? Body)>();
var next = 0;
var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
builder.WebHost.UseKestrelCore();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
var web = builder.Build();
web.Run(async context =>
{
    var path = context.Request.Path.Value!;
    if (path.EndsWith("/invocation/next", StringComparison.Ordinal))
    {
        string id;
        var events = pending.GetOrAdd(path.Split('/')[1], _ => Channel.CreateUnbounded<string>());
        try { id = await events.Reader.ReadAsync(context.RequestAborted); } catch (OperationCanceledException) { return; }
        context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = id;
        context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsync(Event);
        return;
    }

    string? body = null;
    if (expect is null) await context.Request.Body.CopyToAsync(Stream.Null);
    else body = await new StreamReader(context.Request.Body).ReadToEndAsync();
    var at = Stopwatch.GetTimestamp();
    context.Response.StatusCode = 202;
    var parts = path.Split('/');
    answered.Writer.TryWrite((parts[^2], path.EndsWith("/response", StringComparison.Ordinal) ? at : -1, body));
});
await web.StartAsync();
var api = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;

var processes = 0;
(Process Process, ChannelWriter<string> Events) Start(string path)
{
    var prefix = "p" + Interlocked.Increment(ref processes).ToString(CultureInfo.InvariantCulture);
    var events = pending.GetOrAdd(prefix, _ => Channel.CreateUnbounded<string>());
    var info = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    info.Environment["AWS_LAMBDA_RUNTIME_API"] = api + "/" + prefix;
    info.Environment["_HANDLER"] = handler;
    info.Environment["AWS_LAMBDA_LOG_LEVEL"] = "WARN";
    var p = Process.Start(info)!;
    p.OutputDataReceived += (_, _) => { };
    p.ErrorDataReceived += (_, _) => { };
    p.BeginOutputReadLine();
    p.BeginErrorReadLine();
    return (p, events.Writer);
}

async Task<long> AnswerAsync(string id)
{
    var (answeredId, at, body) = await answered.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
    if (answeredId != id || at < 0) throw new InvalidOperationException($"Expected a response to {id}, got {(at < 0 ? "an error" : "a response")} to {answeredId}: {body}");
    if (expect is not null && body?.Contains(expect, StringComparison.Ordinal) != true) throw new InvalidOperationException($"The response to {id} does not contain {expect}: {body}");
    return at;
}

var cold = candidates.ToDictionary(c => c.Name, _ => new List<double>());
var cpu = candidates.ToDictionary(c => c.Name, _ => new List<double>()); // CPU time (user + system) up to the first answer: steadier than wall time on a busy machine
for (var run = 0; run < runs + 1; run++)
{
    foreach (var (name, path) in candidates)
    {
        var id = "cold-" + Interlocked.Increment(ref next).ToString(CultureInfo.InvariantCulture);
        var started = Stopwatch.GetTimestamp();
        var (process, events) = Start(path);
        using var owned = process;
        events.TryWrite(id);
        var at = await AnswerAsync(id);
        var used = CpuMilliseconds(process.Id);
        process.Kill();
        await process.WaitForExitAsync();
        if (run > 0) // run 0 warms the disk cache
        {
            cold[name].Add(Stopwatch.GetElapsedTime(started, at).TotalMilliseconds);
            cpu[name].Add(used);
        }
    }
}

var warm = new Dictionary<string, double>();
foreach (var (name, path) in candidates)
{
    var (process, events) = Start(path);
    using var owned = process;
    var first = "warmup-" + name;
    events.TryWrite(first);
    await AnswerAsync(first);
    var ids = Enumerable.Range(0, warmCount).Select(i => $"warm-{name}-{i}").ToList();
    var started = Stopwatch.GetTimestamp();
    foreach (var id in ids) events.TryWrite(id);
    foreach (var id in ids) await AnswerAsync(id);
    warm[name] = warmCount / Stopwatch.GetElapsedTime(started).TotalSeconds;
    process.Kill();
    await process.WaitForExitAsync();
}

if (runs == 0)
{
    foreach (var (name, _) in candidates) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: warm {warm[name]:0} invocations/s"));
    await web.StopAsync();
    return;
}

Console.WriteLine($"| candidate | cold start median (ms) | min | max | CPU to first answer, median (ms) | warm invocations/s |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var (name, _) in candidates)
{
    var sorted = cold[name].Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {sorted[sorted.Count / 2]:0.0} | {sorted[0]:0.0} | {sorted[^1]:0.0} | {Median(cpu, name):0.0} | {warm[name]:0} |"));
}

// The CPU time of every thread of the process, from /proc/PID/task/*/schedstat (nanoseconds; Process.TotalProcessorTime has 10 ms ticks).
static double CpuMilliseconds(int pid)
    => Directory.GetDirectories($"/proc/{pid}/task").Sum(t => long.Parse(File.ReadAllText(Path.Combine(t, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture)) / 1e6;

static double Median(Dictionary<string, List<double>> values, string name) { var s = values[name].Order().ToList(); return s[s.Count / 2]; }
// Each APP-MODE (hello-aot, webapi-jit, ...) against each bare-MODE[-VARIANT] of the run.
foreach (var (hello, _) in candidates.Where(c => !c.Name.StartsWith("bare-", StringComparison.Ordinal) && c.Name.Contains('-', StringComparison.Ordinal)))
{
    var mode = hello[(hello.IndexOf('-', StringComparison.Ordinal) + 1)..];
    foreach (var (bare, _) in candidates.Where(c => c.Name == "bare-" + mode || c.Name.StartsWith("bare-" + mode + "-", StringComparison.Ordinal)))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{hello} / {bare}: cold start {Median(cold, hello) / Median(cold, bare):0.00} (CPU {Median(cpu, hello) / Median(cpu, bare):0.00}); warm {warm[hello] / warm[bare]:0.00}"));
    }
}

await web.StopAsync();
