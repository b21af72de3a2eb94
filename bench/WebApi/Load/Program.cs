// Usage: Load BASE_URL SECONDS CONNECTIONS[,CONNECTIONS...] [ROUTE:NAME=INVOCATIONS_PER_S ...]
// Sends GET /orders/42 and PUT /files/bench (a 1 KiB upload) to the app at BASE_URL, each for SECONDS after three seconds of
// warm-up, from each number of concurrent connections (one request at a time on each), and prints the requests a second. A
// response with another status than the expected one fails the run (a wrong answer is not measured). Each ROUTE:NAME=VALUE
// (ROUTE is orders or files) is a warm figure of the same request through the Lambda Runtime API loop of the same run, printed
// as the ratio Kestrel / NAME.
using System.Diagnostics;
using System.Globalization;
using System.Net;

var baseUrl = new Uri(args[0]);
var seconds = double.Parse(args[1], CultureInfo.InvariantCulture);
var connectionCounts = args[2].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
var lambda = args.Skip(3).Select(a => a.Split(['=', ':'], 3)).Select(p => (Route: p[0], Name: p[1], PerSecond: double.Parse(p[2], CultureInfo.InvariantCulture))).ToList();
var upload = new byte[1024];
new Random(42).NextBytes(upload);

var routes = new (string Name, string Label, HttpStatusCode Expected, Func<HttpRequestMessage> Request)[]
{
    ("orders", "GET /orders/42", HttpStatusCode.OK, () => new HttpRequestMessage(HttpMethod.Get, "orders/42")),
    ("files", "PUT /files/bench (1 KiB)", HttpStatusCode.Created, () => new HttpRequestMessage(HttpMethod.Put, "files/bench")
    {
        Content = new ByteArrayContent(upload) { Headers = { { "Content-Type", "application/octet-stream" } } },
    }),
};

var results = new List<(string Route, string Label, int Connections, double PerSecond)>();
foreach (var connections in connectionCounts)
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        BaseAddress = baseUrl,
    };
    foreach (var (name, label, expected, request) in routes)
    {
        await RunAsync(http, connections, TimeSpan.FromSeconds(3), expected, request); // warm-up: connections opened, code tiered up
        var count = await RunAsync(http, connections, TimeSpan.FromSeconds(seconds), expected, request);
        results.Add((name, label, connections, count / seconds));
    }
}

Console.WriteLine("| request on Kestrel | connections | requests/s |");
Console.WriteLine("| --- | ---: | ---: |");
foreach (var r in results) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Label} | {r.Connections} | {r.PerSecond:0} |"));
foreach (var (route, name, perSecond) in lambda)
{
    foreach (var r in results.Where(r => r.Route == route))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Label}: Kestrel with {r.Connections} connection(s) / {name} through the Runtime API: {r.PerSecond:0} / {perSecond:0} = {r.PerSecond / perSecond:0.00}"));
    }
}

// Each connection sends one request after the other until the time is up; returns how many were answered.
static async Task<long> RunAsync(HttpClient http, int connections, TimeSpan duration, HttpStatusCode expected, Func<HttpRequestMessage> request)
{
    long answered = 0;
    var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
    {
        while (Stopwatch.GetTimestamp() < until)
        {
            using var message = request();
            using var response = await http.SendAsync(message);
            await response.Content.CopyToAsync(Stream.Null);
            if (response.StatusCode != expected) throw new InvalidOperationException($"{message.Method} {message.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}.");
            Interlocked.Increment(ref answered);
        }
    }));
    await Task.WhenAll(workers);
    return answered;
}
