using Orders;
using Portable.Aws.Tests.Fixtures;

namespace Portable.Aws.Tests;

/// <summary>
/// <c>dotnet publish samples/Orders -r linux-arm64 -p:PortableTarget=aws</c> on this linux-x64 machine: the published app cannot run
/// here, so the publish builds it once more for this machine to write the deployment files, which must describe the arm64 publish.
/// JIT without ReadyToRun, because a Native AOT arm64 binary needs an arm64 cross linker this machine does not have, and composite
/// ReadyToRun for arm64 changes nothing the template depends on but takes minutes.
/// </summary>
public sealed class Arm64PublishTests : IAsyncLifetime
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "portable-aws-arm64-" + Guid.NewGuid().ToString("N"));
    private string _log = "";
    private int _exitCode;

    public async Task InitializeAsync()
    {
        (_exitCode, _log) = await SamplePublish.RunAsync("-r", "linux-arm64", "-p:PortableTarget=aws", "-p:PublishAot=false", "-p:PublishReadyToRun=false", "-o", _output);
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_output)) Directory.Delete(_output, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void PublishForLinuxArm64_WritesATemplateWhoseFunctionsAllRunOnArm64()
    {
        Assert.True(_exitCode == 0, _log);
        var template = Path.Combine(_output, "template.yaml");
        Assert.True(File.Exists(template), "no template.yaml was written:\n" + _log);

        var parsed = SamYaml.Load(File.ReadAllText(template));
        foreach (var function in AwsEmulators.App(OrdersApp.Configure).Catalog.Functions)
        {
            Assert.Equal("arm64", SamAssert.Settings(parsed, function.Name).Architecture);
        }

        SamAssert.OrdersLeastPrivilegeAndAccess(parsed);
        Assert.Contains("(JIT, arm64)", _log, StringComparison.Ordinal);
    }
}
