namespace Portable.Aws.Tests.Fixtures;

/// <summary>
/// The Orders sample published Native AOT for AWS into <c>artifacts/published/aws</c>, the folder test.sh fills before the suites
/// run and the fuzz suite reuses: published here only when it is missing (<c>PORTABLE_FUZZ_REPUBLISH=1</c> publishes again).
/// </summary>
public sealed class SharedPublishedBootstrap : IAsyncLifetime
{
    public string Output { get; } = Path.Combine(PublishedBootstrap.RepoRoot, "artifacts", "published", "aws");

    public string Log { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (File.Exists(Path.Combine(Output, "bootstrap")) && Environment.GetEnvironmentVariable("PORTABLE_FUZZ_REPUBLISH") != "1") return;
        var (exitCode, log) = await SamplePublish.RunAsync("-r", "linux-x64", "-p:PublishAot=true", "-p:PortableTarget=aws", "-o", Output);
        Log = log;
        if (exitCode != 0) throw new InvalidOperationException("dotnet publish of the AWS sample failed:\n" + Log);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
