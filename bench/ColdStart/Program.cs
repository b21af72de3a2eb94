// Measures the time from process start to the first 200 answer, for several commands in one run,
// interleaved round by round so that machine noise falls on all of them alike, and prints medians
// and the ratio of each to the first (the baseline), and the mean CPU time each process used up to its first answer (the kernel counts it in 10 ms ticks: a mean of many starts resolves finer).
//
// usage: ColdStart <rounds> <path-and-query> <name>=<command> [<name>=<command> ...]
// A command is an executable path, or "dotnet <dll>", optionally after NAME=value variables for that target only.
// PORT and PORTABLE_DATA_DIR are set per start.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: ColdStart <rounds> <path-and-query> <name>=<command> [<name>=<command> ...]");
    return 2;
}

var rounds = int.Parse(args[0], CultureInfo.InvariantCulture);
var path = args[1];
var targets = args.Skip(2).Select(a => (Name: a[..a.IndexOf('=', StringComparison.Ordinal)], Command: a[(a.IndexOf('=', StringComparison.Ordinal) + 1)..])).ToList();
var samples = targets.ToDictionary(t => t.Name, _ => new List<double>());
var cpu = targets.ToDictionary(t => t.Name, _ => new List<double>()); // CPU time of the process up to its first answer: less sensitive to a loaded machine
using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, ConnectTimeout = TimeSpan.FromSeconds(1) });

for (var round = 0; round <= rounds; round++)
{
    foreach (var (name, command) in targets)
    {
        var (ms, cpuMs) = await MeasureAsync(command);
        if (round > 0) // round 0 warms the disk cache and is not counted
        {
            samples[name].Add(ms);
            cpu[name].Add(cpuMs);
        }
    }
}

var baseline = Median(samples[targets[0].Name]);
Console.WriteLine($"{"target",-24} {"median ms",10} {"min ms",8} {"max ms",8} {"ratio",7} {"cpu ms",7}");
foreach (var (name, _) in targets)
{
    var list = samples[name];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-24} {Median(list),10:0.0} {list.Min(),8:0.0} {list.Max(),8:0.0} {Median(list) / baseline,7:0.00} {cpu[name].Average(),7:0.0}"));
}

return 0;

async Task<(double Ms, double CpuMs)> MeasureAsync(string command)
{
    var port = FreePort();
    var environment = new Dictionary<string, string>(StringComparer.Ordinal);
    while (command.Split(' ', 2) is [var first, var rest] && first.Contains('=', StringComparison.Ordinal)) // "NAME=value program": a variable for this target
    {
        environment[first[..first.IndexOf('=', StringComparison.Ordinal)]] = first[(first.IndexOf('=', StringComparison.Ordinal) + 1)..];
        command = rest;
    }

    var parts = command.Split(' ', 2);
    var program = parts.Length > 1 ? parts[0] : Path.GetFullPath(parts[0]);
    var target = Path.GetFullPath(parts.Length > 1 ? parts[1] : parts[0]);
    var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    if (parts.Length > 1) info.ArgumentList.Add(target);
    // Each process starts in its own folder: a host that watches its content root pays for a crowded one, which is not what is measured here.
    info.WorkingDirectory = Path.GetDirectoryName(target)!;
    info.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
    info.Environment["PORTABLE_DATA_DIR"] = Path.Combine(Path.GetTempPath(), "coldstart-" + Guid.NewGuid().ToString("N"));
    info.Environment["Logging__LogLevel__Default"] = "Warning";
    foreach (var (key, value) in environment) info.Environment[key] = value;
    var url = $"http://127.0.0.1:{port}{path}";
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    try
    {
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var elapsed = clock.Elapsed.TotalMilliseconds;
                    process.Refresh();
                    return (elapsed, process.TotalProcessorTime.TotalMilliseconds);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(1);
        }

        throw new TimeoutException($"{command} did not answer {url} within 30 s");
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        if (Directory.Exists(info.Environment["PORTABLE_DATA_DIR"])) Directory.Delete(info.Environment["PORTABLE_DATA_DIR"]!, recursive: true);
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
