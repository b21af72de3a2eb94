using System.Diagnostics;
using Portable.AspNetCore.Tests.Fixtures;
using Portable.Aws.Tests.Fixtures;

namespace Portable.AspNetCore.Tests.WebApi;

/// <summary>
/// samples/WebApi as a new user runs it: built once for every adapter (<c>-p:PortableTarget=all</c>, JIT) and run on plain Kestrel
/// (locally), as a Cloud Run service (<c>K_SERVICE</c>, <c>PORT</c>) and as an Azure custom handler (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>);
/// and published once for AWS with Native AOT (<c>-p:PortableTarget=aws</c>), whose <c>bootstrap</c> runs against a fake Runtime
/// API, once as the app's HTTP function (<c>_HANDLER=web</c>) and once as the queue function (<c>_HANDLER=record-greeting</c>).
/// </summary>
public sealed class WebApiFixture : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("webapi-acceptance-").FullName;
    private readonly List<IAsyncDisposable> _running = [];

    public string BuildLog { get; private set; } = "";

    public string PublishLog { get; private set; } = "";

    public string AwsFolder => Path.Combine(_root, "aws");

    public HttpClient Kestrel { get; private set; } = null!;

    public HttpClient Gcp { get; private set; } = null!;

    public HttpClient Azure { get; private set; } = null!;

    public FakeRuntimeApi HttpRuntime { get; private set; } = null!;

    public FakeRuntimeApi QueueRuntime { get; private set; } = null!;

    public AppProcess LambdaQueueApp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var jit = Path.Combine(_root, "jit");
        (var built, BuildLog) = await Dotnet.RunAsync("build", "samples/WebApi/WebApi.csproj", "-c", "Release", "-p:PortableTarget=all", "-o", jit, "-nologo");
        Assert.True(built == 0, BuildLog);
        (var published, PublishLog) = await Dotnet.RunAsync("publish", "samples/WebApi/WebApi.csproj", "-c", "Release", "-r", "linux-x64", "-p:PortableTarget=aws", "-o", AwsFolder, "-nologo");
        Assert.True(published == 0, PublishLog);

        var dll = Path.Combine(jit, "WebApi.dll");
        Kestrel = await StartHttpAsync(dll, port => new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}", ["Portable__Local__InMemory"] = "true" });
        Gcp = await StartHttpAsync(dll, port => new() { ["K_SERVICE"] = "webapi", ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["GOOGLE_CLOUD_PROJECT"] = "acceptance" });
        Azure = await StartHttpAsync(dll, port => new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var bootstrap = Path.Combine(AwsFolder, "bootstrap");
        HttpRuntime = await FakeRuntimeApi.StartAsync();
        _running.Add(HttpRuntime);
        _running.Add(AppProcess.Start(bootstrap, new Dictionary<string, string> { ["AWS_LAMBDA_RUNTIME_API"] = HttpRuntime.Address, ["_HANDLER"] = "web" }));
        QueueRuntime = await FakeRuntimeApi.StartAsync();
        _running.Add(QueueRuntime);
        LambdaQueueApp = AppProcess.Start(bootstrap, new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = QueueRuntime.Address, ["_HANDLER"] = "record-greeting",
            ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test", ["AWS_REGION"] = "us-east-1",
        });
        _running.Add(LambdaQueueApp);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in new[] { Kestrel, Gcp, Azure }) client?.Dispose();
        for (var i = _running.Count - 1; i >= 0; i--) await _running[i].DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>The request as an event of the shape, through the published bootstrap; the outcome must be a response.</summary>
    public async Task<(Answer Answer, string Raw)> SendToLambdaAsync(Shape shape, TestRequest request)
    {
        var outcome = await HttpRuntime.Enqueue(EventShapes.Build(shape, request)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(outcome.Kind == "response", $"Expected a response, got {outcome.Kind} {outcome.ErrorType}: {outcome.Body}");
        return (EventShapes.ReadResponse(outcome.Body), outcome.Body);
    }

    private async Task<HttpClient> StartHttpAsync(string dll, Func<int, Dictionary<string, string>> environment)
    {
        var port = AppProcess.FreePort();
        var app = AppProcess.Start(dll, environment(port));
        _running.Add(app);
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await app.WaitForHttpAsync(client, new Uri("/", UriKind.Relative));
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class WebApiCollection : ICollectionFixture<WebApiFixture>
{
    public const string Name = "webapi";
}

/// <summary>Runs <c>dotnet</c> from the repository root, one build or publish at a time (two at once build the same <c>obj/</c> folders).</summary>
public static class Dotnet
{
    public static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static string RepoRoot { get; } = FindRoot();

    public static async Task<(int ExitCode, string Log)> RunAsync(params string[] args)
    {
        await OneAtATime.WaitAsync();
        try
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot };
            foreach (var arg in args) info.ArgumentList.Add(arg);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Portable.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("Portable.sln not found above " + AppContext.BaseDirectory);
    }
}
