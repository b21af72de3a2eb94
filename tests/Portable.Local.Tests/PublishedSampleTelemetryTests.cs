using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Portable.Contracts.Otlp;

namespace Portable.Local.Tests;

/// <summary>
/// Issue #12's acceptance on the local host: the Orders sample published with Native AOT, run as its own process with
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> pointing at an OTLP/HTTP receiver. One order placed over HTTP is one trace:
/// PlaceOrder → (send) → SendConfirmation → (publish) → AuditConfirmation, each a child of the span before it, and the
/// invocation metrics and the sample's orders.placed arrive too. The binary is the one test.sh publishes into
/// <c>artifacts/published/local</c> (as the fuzz suite uses it); the test publishes it there only when it is missing.
/// </summary>
public sealed class PublishedSampleTelemetryTests
{
    [Fact]
    public async Task OneOrderPlaced_IsOneTrace_AcrossTheQueueAndTheTopic_AndTheMetricsReachTheReceiver()
    {
        var binary = await PublishedLocalSampleAsync();
        await using var otlp = await OtlpReceiver.StartAsync();
        var data = Directory.CreateTempSubdirectory("portable-otel-sample-").FullName;
        var port = FreePort();
        var output = new ConcurrentQueue<string>();
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        info.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["PORTABLE_DATA_DIR"] = data;
        info.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.Endpoint;
        info.Environment["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        info.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        foreach (var cloud in new[] { "AWS_LAMBDA_RUNTIME_API", "FUNCTIONS_CUSTOMHANDLER_PORT", "K_SERVICE", "FUNCTION_TARGET", "OTEL_SERVICE_NAME" }) info.Environment.Remove(cloud);
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilServingAsync(client, process, output);

            using var posted = await client.PostAsync("/orders", new StringContent("""{"customerId":"c-otel","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}""", Encoding.UTF8, "application/json"));
            Assert.True(posted.StatusCode == HttpStatusCode.Created, await posted.Content.ReadAsStringAsync());

            var spans = await otlp.WaitForSpansAsync(s => s.Any(x => x.Name == "AuditConfirmation"), TimeSpan.FromSeconds(60));
            var place = spans.Single(s => s.Name == "PlaceOrder");
            var trace = spans.Where(s => s.TraceId == place.TraceId).ToList();
            var why = OtlpReceiver.DescribeSpans(spans) + "\n" + string.Join('\n', output);
            var confirm = Assert.Single(trace, s => s.Name == "SendConfirmation");
            var audit = Assert.Single(trace, s => s.Name == "AuditConfirmation");
            Assert.True(IsAncestor(trace, place, confirm), why);
            Assert.True(IsAncestor(trace, confirm, audit), why);
            Assert.Equal(ActivityKind.Server, place.Kind);
            Assert.Equal(ActivityKind.Consumer, confirm.Kind);
            Assert.Equal(ActivityKind.Consumer, audit.Kind);
            Assert.Equal("portable_local", confirm.Attribute("messaging.system"));
            Assert.Contains(trace, s => s.Kind == ActivityKind.Producer && s.Name.StartsWith("send ", StringComparison.Ordinal) && s.SpanId == confirm.ParentSpanId && s.ParentSpanId == place.SpanId);

            // Metrics go every 500 ms and spans every 200: wait for the export that counted AuditConfirmation, not merely the first one.
            var metrics = await otlp.WaitForMetricsAsync(
                m => new[] { "faas.invocations", "faas.invoke_duration", "orders.placed" }.All(name => m.Any(x => x.Name == name))
                    && m.Any(x => x.Name == "faas.invocations" && x.DataPoints.Any(p => p.Attribute("faas.invoked_name") == "AuditConfirmation")),
                TimeSpan.FromSeconds(60));
            Assert.Contains(metrics, m => m.Name == "faas.invocations" && m.DataPoints.Any(p => p.Attribute("faas.invoked_name") == "AuditConfirmation"));
            Assert.Contains(metrics, m => m.Name == "orders.placed" && m.DataPoints.Any(p => p.Value >= 1));
            Assert.Empty(otlp.Errors);
            Assert.Contains(output, l => l.Contains("PlaceOrder completed in", StringComparison.Ordinal) && l.Contains($"trace {place.TraceId}", StringComparison.Ordinal));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Whether <paramref name="ancestor"/> is <paramref name="span"/>'s parent, or its parent's parent, within the trace.</summary>
    private static bool IsAncestor(IReadOnlyList<OtlpSpan> trace, OtlpSpan ancestor, OtlpSpan span)
    {
        for (var current = span; current is not null && !current.IsRoot;)
        {
            if (current.ParentSpanId == ancestor.SpanId) return true;
            current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId);
        }

        return false;
    }

    private static async Task WaitUntilServingAsync(HttpClient client, Process process, ConcurrentQueue<string> output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException("The sample exited: " + string.Join('\n', output));
            try
            {
                if ((await client.GetAsync("/hello?name=probe")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The sample did not serve within 30 s: " + string.Join('\n', output));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// <c>artifacts/published/local/Orders</c>, as test.sh publishes it before the tests (set <c>PORTABLE_FUZZ_REPUBLISH=1</c> to
    /// publish again after changing the code, as for the fuzz suite); published there first when it is missing.
    /// </summary>
    private static async Task<string> PublishedLocalSampleAsync()
    {
        var root = RepositoryRoot();
        var output = Path.Combine(root, "artifacts", "published", "local");
        var binary = Path.Combine(output, "Orders");
        if (File.Exists(binary) && Environment.GetEnvironmentVariable("PORTABLE_FUZZ_REPUBLISH") != "1") return binary;

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        foreach (var arg in new[] { "publish", "samples/Orders", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-p:PortableTarget=local", "-o", output, "-nologo" })
        {
            info.ArgumentList.Add(arg);
        }

        using var publish = Process.Start(info)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        Assert.True(publish.ExitCode == 0 && File.Exists(binary), $"dotnet publish of the local sample failed ({publish.ExitCode}):\n{await stdout}{await stderr}");
        return binary;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portable.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Portable.sln not found above " + AppContext.BaseDirectory);
    }
}
