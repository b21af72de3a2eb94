using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Orders.Tests;

/// <summary>Native AOT is part of correctness: the sample publishes with zero trim/AOT warnings and the binary runs it.</summary>
[Collection("processes")]
public sealed class AotPublishTests
{
    [Fact]
    public async Task PublishAot_HasNoTrimOrAotWarnings_AndTheNativeBinaryServes()
    {
        var output = Path.Combine(Path.GetTempPath(), "portable-aot-" + Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoRoot.Path };
        foreach (var arg in new[] { "publish", "samples/Orders", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "-nologo" }) info.ArgumentList.Add(arg);
        using var publish = Process.Start(info)!;
        var log = await publish.StandardOutput.ReadToEndAsync() + await publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();

        Assert.True(publish.ExitCode == 0, log);
        Assert.DoesNotMatch(new Regex(@"\bIL[23]\d{3}\b"), log);
        var binary = Path.Combine(output, "Orders");
        Assert.True(File.Exists(binary), $"No native binary at {binary}");
        Assert.False(File.Exists(Path.Combine(output, "Orders.dll")), "The publish is not native: Orders.dll is there.");

        using var sample = await SampleProcess.StartAsync(binary, null, SampleProcessTests.NewDataDir());
        Assert.Equal("Hello, Ada", await sample.Client.GetStringAsync("/hello?name=Ada"));
        var posted = await sample.Client.PostAsync("/orders", new StringContent("""{"customerId":"c-1","items":[{"sku":"A","quantity":2,"unitPrice":21.25}]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, posted.StatusCode);
        Assert.Contains("\"total\":42.5", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(sample.Stop());
        Directory.Delete(output, recursive: true);
    }
}
