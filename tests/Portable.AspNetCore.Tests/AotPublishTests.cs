using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Portable.AspNetCore.Tests.Fixtures;
using Portable.Aws.Tests.Fixtures;

namespace Portable.AspNetCore.Tests;

/// <summary>An ASP.NET Core app with <c>AddPortable()</c> (AotApp/) published with Native AOT: no warnings, and the binary serves Lambda events.</summary>
public sealed class AotPublishTests : IAsyncLifetime
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "portable-aspnetcore-aot-" + Guid.NewGuid().ToString("N"));
    private string _log = "";
    private int _exitCode;

    public async Task InitializeAsync()
    {
        // One build or publish at a time with the WebApi acceptance fixture: both build Portable.AspNetCore's obj/ for linux-x64.
        (_exitCode, _log) = await WebApi.Dotnet.RunAsync("publish", "tests/Portable.AspNetCore.Tests/AotApp/AotApp.csproj", "-c", "Release", "-r", "linux-x64", "-o", _output, "-nologo");
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_output)) Directory.Delete(_output, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AotPublishedApp_HasNoWarnings_AndServesEventsThroughTheRuntimeApi()
    {
        Assert.True(_exitCode == 0, _log);
        Assert.DoesNotContain("warning", _log, StringComparison.OrdinalIgnoreCase);

        await using var runtime = await FakeRuntimeApi.StartAsync();
        var info = new ProcessStartInfo(Path.Combine(_output, "bootstrap")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _output };
        info.Environment["AWS_LAMBDA_RUNTIME_API"] = runtime.Address;
        info.Environment["Portable__Lambda__ResponseStreaming"] = "true"; // function URL events stream; the others stay buffered
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var hello = await runtime.Enqueue(EventShapes.Build(Shape.HttpApi, new TestRequest("GET", "/hello/aot", [], []))).WaitAsync(TimeSpan.FromSeconds(30));
            var refused = await runtime.Enqueue("not json").WaitAsync(TimeSpan.FromSeconds(30));
            var order = await runtime.Enqueue(EventShapes.Build(Shape.RestApi, new TestRequest("POST", "/double", [], [("Content-Type", "application/json")], "{\"name\":\"n\",\"count\":21}"u8.ToArray()))).WaitAsync(TimeSpan.FromSeconds(30));
            var events = await runtime.Enqueue(EventShapes.Build(Shape.FunctionUrl, new TestRequest("GET", "/events", [], []))).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal("Hello, aot!", EventShapes.ReadResponse(hello.Body).Text);
            Assert.Equal("Runtime.InvalidEvent", refused.ErrorType);
            var doubled = EventShapes.ReadResponse(order.Body);
            Assert.Equal(200, doubled.Status);
            using var json = JsonDocument.Parse(doubled.Body);
            Assert.Equal(42, json.RootElement.GetProperty("count").GetInt32());
            Assert.Equal("streamed", events.Kind);
            Assert.Null(events.ErrorType);
            Assert.EndsWith("\0\0\0\0\0\0\0\0data: a\n\ndata: b\n\n", events.Body, StringComparison.Ordinal);
            Assert.StartsWith("{\"statusCode\":200,", events.Body, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Portable.sln"))) return dir.FullName;
            }

            throw new InvalidOperationException("Portable.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
