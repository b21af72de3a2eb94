using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>CONNECT, TRACE and unknown methods, sent on a raw socket to the real host, never reach a function that does not map them.</summary>
public sealed class UnmappedMethodTests
{
    [Theory]
    [InlineData("boom", "CONNECT /boom", "GET, HEAD")]
    [InlineData("boom", "TRACE /boom", "GET, HEAD")]
    [InlineData("boom", "FOO /boom", "GET, HEAD")]
    [InlineData("echo", "CONNECT /hello", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")]
    [InlineData("echo", "TRACE /hello", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")]
    [InlineData("echo", "FOO /hello", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")]
    public async Task UnmappedMethod_Answers405WithAllow_WithoutInvokingTheFunction(string target, string requestLine, string allow)
    {
        await using var host = await RunningGcpHost.StartAsync(target);
        var answer = await RawHttp.SendAsync(host.Client.BaseAddress!, $"{requestLine} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");

        Assert.True(answer.StartsWith("HTTP/1.1 405 ", StringComparison.Ordinal), answer);
        Assert.Contains($"\r\nAllow: {allow}\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", answer, StringComparison.Ordinal);
        Assert.Empty(host.Recorder.HttpCalls);
        Assert.DoesNotContain("boom failed", host.Log, StringComparison.Ordinal);
    }
}
