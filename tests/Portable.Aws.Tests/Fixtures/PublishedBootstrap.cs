using System.Diagnostics;

namespace Portable.Aws.Tests.Fixtures;

/// <summary>Publishes the Orders sample for AWS once (Native AOT, as a cloud publish is by default) for the tests that run the real <c>bootstrap</c>.</summary>
public sealed class PublishedBootstrap : IAsyncLifetime
{
    public string Output { get; } = Path.Combine(Path.GetTempPath(), "portable-aws-" + Guid.NewGuid().ToString("N"));

    public string Log { get; private set; } = "";

    public int ExitCode { get; private set; }

    public string Bootstrap => Path.Combine(Output, "bootstrap");

    public static string RepoRoot
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

    public async Task InitializeAsync()
    {
        (ExitCode, Log) = await SamplePublish.RunAsync("-r", "linux-x64", "-p:PortableTarget=aws", "-o", Output);
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Output)) Directory.Delete(Output, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Starts the published bootstrap as Lambda would: <c>AWS_LAMBDA_RUNTIME_API</c>, <c>_HANDLER</c>, and the emulators' AWS settings.</summary>
    public Process Start(string runtimeApi, string handler, IReadOnlyDictionary<string, string>? environment = null)
        => StartAt(Output, runtimeApi, handler, environment);

    /// <summary>Starts the <c>bootstrap</c> published in <paramref name="output"/> as Lambda would.</summary>
    public static Process StartAt(string output, string runtimeApi, string handler, IReadOnlyDictionary<string, string>? environment = null, Action<string>? onOutput = null)
    {
        var info = new ProcessStartInfo(Path.Combine(output, "bootstrap")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = output };
        info.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        info.Environment["_HANDLER"] = handler;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onOutput?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onOutput?.Invoke(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
