// Usage: LambdaBench RUNS WARM NAME=EXECUTABLE [NAME=EXECUTABLE ...]
// Cold start: from Process.Start to the first response POSTed to the Runtime API (an HTTP API v2 GET /hello?name=Ada).
// Warm: invocations a second over WARM events handed out back to back to one process.
// Candidates are measured interleaved (run 1 of each, run 2 of each, ...) so they share the machine's state.
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
const string Event = """{"version":"2.0","routeKey":"$default","rawPath":"/hello","rawQueryString":"name=Ada","headers":{"host":"x"},"requestContext":{"http":{"method":"GET","path":"/hello","protocol":"HTTP/1.1","sourceIp":"192.0.2.1","userAgent":"bench"},"requestId":"r","routeKey":"$default","stage":"$default"},"isBase64Encoded":false}""";

var pending = Channel.CreateUnbounded<string>();
var answered = Channel.CreateUnbounded<(string Id, long At)>();
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
        try { id = await pending.Reader.ReadAsync(context.RequestAborted); } catch (OperationCanceledException) { return; }
        context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = id;
        context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsync(Event);
        return;
    }

    await context.Request.Body.CopyToAsync(Stream.Null);
    var at = Stopwatch.GetTimestamp();
    context.Response.StatusCode = 202;
    var parts = path.Split('/');
    answered.Writer.TryWrite((parts[^2], path.EndsWith("/response", StringComparison.Ordinal) ? at : -1));
});
await web.StartAsync();
var api = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;

Process Start(string path)
{
    var info = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    info.Environment["AWS_LAMBDA_RUNTIME_API"] = api;
    info.Environment["_HANDLER"] = "Hello";
    info.Environment["AWS_LAMBDA_LOG_LEVEL"] = "WARN";
    var p = Process.Start(info)!;
    p.OutputDataReceived += (_, _) => { };
    p.ErrorDataReceived += (_, _) => { };
    p.BeginOutputReadLine();
    p.BeginErrorReadLine();
    return p;
}

async Task<long> AnswerAsync(string id)
{
    var (answeredId, at) = await answered.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
    if (answeredId != id || at < 0) throw new InvalidOperationException($"Expected a response to {id}, got {(at < 0 ? "an error" : "a response")} to {answeredId}.");
    return at;
}

var cold = candidates.ToDictionary(c => c.Name, _ => new List<double>());
for (var run = 0; run < runs + 1; run++)
{
    foreach (var (name, path) in candidates)
    {
        var id = "cold-" + Interlocked.Increment(ref next).ToString(CultureInfo.InvariantCulture);
        pending.Writer.TryWrite(id);
        var started = Stopwatch.GetTimestamp();
        using var process = Start(path);
        var at = await AnswerAsync(id);
        process.Kill();
        await process.WaitForExitAsync();
        if (run > 0) cold[name].Add(Stopwatch.GetElapsedTime(started, at).TotalMilliseconds); // run 0 warms the disk cache
    }
}

var warm = new Dictionary<string, double>();
foreach (var (name, path) in candidates)
{
    using var process = Start(path);
    var first = "warmup-" + name;
    pending.Writer.TryWrite(first);
    await AnswerAsync(first);
    var ids = Enumerable.Range(0, warmCount).Select(i => $"warm-{name}-{i}").ToList();
    var started = Stopwatch.GetTimestamp();
    foreach (var id in ids) pending.Writer.TryWrite(id);
    foreach (var id in ids) await AnswerAsync(id);
    warm[name] = warmCount / Stopwatch.GetElapsedTime(started).TotalSeconds;
    process.Kill();
    await process.WaitForExitAsync();
}

Console.WriteLine($"| candidate | cold start median (ms) | min | max | warm invocations/s |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
foreach (var (name, _) in candidates)
{
    var sorted = cold[name].Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {sorted[sorted.Count / 2]:0.0} | {sorted[0]:0.0} | {sorted[^1]:0.0} | {warm[name]:0} |"));
}

double Median(string name) { var s = cold[name].Order().ToList(); return s[s.Count / 2]; }
foreach (var mode in new[] { "aot", "jit" })
{
    if (cold.ContainsKey("hello-" + mode) && cold.ContainsKey("bare-" + mode))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{mode}: cold start ratio hello/bare = {Median("hello-" + mode) / Median("bare-" + mode):0.00}; warm ratio hello/bare = {warm["hello-" + mode] / warm["bare-" + mode]:0.00}"));
    }
}

await web.StopAsync();
