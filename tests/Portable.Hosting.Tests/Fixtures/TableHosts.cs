using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Portable.Aws.Tests.Fixtures;

namespace Portable.Hosting.Tests.Fixtures;

/// <summary>
/// The table's app running on each platform's real entry point, on this machine: the local host, the Azure custom handler
/// (forwarded requests under <c>/api</c>), one Functions Framework process per function (GCP), and the published Native AOT
/// <c>bootstrap</c> against a fake Lambda Runtime API (API Gateway HTTP API events). Every host gets the same 6 MB body limit,
/// Lambda's own.
/// </summary>
public sealed class TableHosts : IAsyncLifetime
{
    public const int BodyLimit = 6 * 1024 * 1024;
    public static readonly string[] Functions = ["Echo", "GetItem", "Boom"];

    private readonly TestApp _app = new();
    private readonly List<HostProcess> _processes = [];
    private readonly Dictionary<string, HostProcess> _gcp = new(StringComparer.Ordinal);
    private HostProcess? _local;
    private HostProcess? _azure;
    private FakeRuntimeApi? _runtimeApi;
    private System.Diagnostics.Process? _bootstrap;

    public static IReadOnlyList<string> Platforms { get; } = ["local", "aws", "gcp", "azure"];

    public async Task InitializeAsync()
    {
        var limit = BodyLimit.ToString(CultureInfo.InvariantCulture);
        var publish = _app.InitializeAsync();
        var local = HostProcess.StartAsync("dotnet", TestApp.Dll, ["PORT"],
            new Dictionary<string, string> { ["PORTABLE_PLATFORM"] = "local", ["Portable__Local__MaxRequestBodyBytes"] = limit }, "/_portable/functions");
        var azure = HostProcess.StartAsync("dotnet", TestApp.Dll, ["FUNCTIONS_CUSTOMHANDLER_PORT"],
            new Dictionary<string, string> { ["Portable__Azure__MaxRequestBodyBytes"] = limit }, "/");
        var gcp = Functions.Select(f => HostProcess.StartAsync("dotnet", TestApp.Dll, ["PORT"],
            new Dictionary<string, string> { ["FUNCTION_TARGET"] = f, ["Portable__Gcp__MaxRequestBodyBytes"] = limit }, "/favicon.ico")).ToList();
        _local = await Track(local);
        _azure = await Track(azure);
        for (var i = 0; i < Functions.Length; i++) _gcp[Functions[i]] = await Track(gcp[i]);

        await publish;
        _runtimeApi = await FakeRuntimeApi.StartAsync();
        var info = new System.Diagnostics.ProcessStartInfo(_app.Bootstrap) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _app.AwsOutput };
        info.Environment["AWS_LAMBDA_RUNTIME_API"] = _runtimeApi.Address;
        info.Environment["_HANDLER"] = "Echo";
        info.Environment["AWS_REGION"] = "us-east-1";
        _bootstrap = System.Diagnostics.Process.Start(info)!;
        _bootstrap.OutputDataReceived += (_, _) => { };
        _bootstrap.ErrorDataReceived += (_, _) => { };
        _bootstrap.BeginOutputReadLine();
        _bootstrap.BeginErrorReadLine();
    }

    /// <summary>What the Kestrel-based host of a platform has written to its console so far (GCP: the Echo function's process).</summary>
    public IReadOnlyCollection<string> Output(string platform) => platform switch
    {
        "local" => _local!.Output,
        "azure" => _azure!.Output,
        "gcp" => _gcp["Echo"].Output,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    public async Task<HttpAnswer> SendAsync(string platform, TableRequest row) => platform switch
    {
        "local" => await SendKestrelAsync(_local!, row, ""),
        "azure" => await SendKestrelAsync(_azure!, row, ""), // the route prefix is empty: the same URL as on every host
        "gcp" => await SendKestrelAsync(_gcp[row.Function], row, ""),
        "aws" => await SendLambdaAsync(row),
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    public async Task DisposeAsync()
    {
        if (_bootstrap is { HasExited: false }) _bootstrap.Kill(entireProcessTree: true);
        _bootstrap?.Dispose();
        if (_runtimeApi is not null) await _runtimeApi.DisposeAsync();
        foreach (var process in _processes) process.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<HostProcess> Track(Task<HostProcess> starting)
    {
        var process = await starting;
        _processes.Add(process);
        return process;
    }

    private static async Task<HttpAnswer> SendKestrelAsync(HostProcess host, TableRequest row, string prefix)
    {
        using var request = new HttpRequestMessage(new HttpMethod(row.Method), prefix + row.Path);
        if (row.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(row.Body));
            if (row.ContentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(row.ContentType);
        }

        using var response = await host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        string? Header(string name)
            => response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
        return HttpAnswer.From((int)response.StatusCode, Header, body);
    }

    private async Task<HttpAnswer> SendLambdaAsync(TableRequest row)
    {
        if (_bootstrap!.HasExited) throw new InvalidOperationException($"The bootstrap exited with {_bootstrap.ExitCode}.");
        var outcome = await _runtimeApi!.Enqueue(TestEvents.HttpApi(row.Method, row.Path, body: row.Body, contentType: row.ContentType)).WaitAsync(TimeSpan.FromSeconds(60));
        if (outcome.Kind != "response") throw new InvalidOperationException($"The bootstrap posted {outcome.Kind} ({outcome.ErrorType}): {outcome.Body}");
        using var document = JsonDocument.Parse(outcome.Body);
        var root = document.RootElement;
        var headers = root.TryGetProperty("headers", out var h)
            ? h.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var body = root.TryGetProperty("body", out var b) ? b.GetString() ?? "" : "";
        if (root.TryGetProperty("isBase64Encoded", out var base64) && base64.GetBoolean()) body = Encoding.UTF8.GetString(Convert.FromBase64String(body));
        return HttpAnswer.From(root.GetProperty("statusCode").GetInt32(), name => headers.GetValueOrDefault(name), body);
    }
}
