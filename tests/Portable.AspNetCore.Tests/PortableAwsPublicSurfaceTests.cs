using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Aws.Events;
using Portable.Aws.Runtime;
using Portable.Aws.Tests.Fixtures;

namespace Portable.AspNetCore.Tests;

/// <summary>
/// The public surface Portable.Aws gives other hosts (the Runtime API loop, the invocation, the HTTP event read and write), used
/// from outside as a host would: this test project sees none of Portable.Aws's internals.
/// </summary>
public sealed class PortableAwsPublicSurfaceTests
{
    [Fact]
    public void ShippingPackages_GrantTheirInternalsOnlyToTests()
    {
        foreach (var assembly in new[] { typeof(LambdaRuntimeLoop).Assembly, typeof(ILambdaInvocationFeature).Assembly })
        {
            var granted = assembly.GetCustomAttributes(typeof(InternalsVisibleToAttribute), false).Cast<InternalsVisibleToAttribute>().Select(a => a.AssemblyName);
            Assert.All(granted, name => Assert.True(
                name.EndsWith(".Tests", StringComparison.Ordinal) || name == "DynamicProxyGenAssembly2",
                $"{assembly.GetName().Name} grants its internals to {name}, which is not a test project"));
        }
    }

    [Fact]
    public async Task LambdaRuntimeLoop_PostsTheHandlersResponse_AnswersAnUnreadableEventRuntimeInvalidEvent_AndGoesOn()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var loop = LambdaRuntimeLoop.Create(api.Address, (invocation, _) =>
        {
            if (invocation.Payload.Span.SequenceEqual("bad"u8)) throw new InvalidInputException("the event is bad");
            var answer = JsonSerializer.Serialize(new Dictionary<string, string?> { ["id"] = invocation.RequestId, ["arn"] = invocation.FunctionArn, ["event"] = Encoding.UTF8.GetString(invocation.Payload.Span) });
            return Task.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes(answer));
        }, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);

        var refused = await api.Enqueue("bad");
        var served = await api.Enqueue("{\"a\":1}");
        await stop.CancelAsync();
        await running;

        Assert.Equal(("error", "Runtime.InvalidEvent"), (refused.Kind, refused.ErrorType));
        Assert.Contains("the event is bad", refused.Body, StringComparison.Ordinal);
        Assert.Equal("response", served.Kind);
        using var body = JsonDocument.Parse(served.Body);
        Assert.StartsWith("req-", body.RootElement.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:test", body.RootElement.GetProperty("arn").GetString());
        Assert.Equal("{\"a\":1}", body.RootElement.GetProperty("event").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void LambdaRuntimeLoop_RefusesABlankRuntimeApi(string runtimeApi)
        => Assert.ThrowsAny<ArgumentException>(() => LambdaRuntimeLoop.Create(runtimeApi, (_, _) => Task.FromResult(ReadOnlyMemory<byte>.Empty), NullLogger.Instance));

    [Fact]
    public void HttpEventRequest_ReadsAnHttpApiEventWithAStage_AndAnswersWithCookies()
    {
        var payload = Encoding.UTF8.GetBytes("""
            {"version":"2.0","rawPath":"/prod/items/a%2Fb","rawQueryString":"x=1&x=2","cookies":["c1=v1","c2=v2"],
             "headers":{"content-type":"text/plain"},"body":"aGk=","isBase64Encoded":true,
             "requestContext":{"stage":"prod","http":{"method":"POST","path":"/prod/items/a/b","sourceIp":"203.0.113.7"}}}
            """);

        var request = HttpEventRequest.Read(payload);

        Assert.Equal(("POST", "/prod", "/items/a%2Fb", true), (request.Method, request.PathBase, request.Path, request.PathIsEscaped));
        Assert.Equal("x=1&x=2", request.RawQueryString);
        Assert.Equal("1,2", request.Query["x"]);
        Assert.Equal("c1=v1; c2=v2", request.Headers["Cookie"]);
        Assert.Equal("hi", Encoding.UTF8.GetString(request.Body.Span));
        Assert.Equal("203.0.113.7", request.SourceIp);

        var response = new HttpResponseData(201) { Body = "ok"u8.ToArray() };
        response.Headers.Add("Content-Type", "text/plain");
        response.Headers.Add("Set-Cookie", "a=1");
        response.Headers.Add("Set-Cookie", "b=2");
        using var written = JsonDocument.Parse(request.WriteResponse(response));
        Assert.Equal(201, written.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal(["a=1", "b=2"], written.RootElement.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("ok", written.RootElement.GetProperty("body").GetString());
        Assert.False(written.RootElement.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public void HttpEventRequest_ReadsARestApiEvent_AndAnswersABinaryBodyInBase64WithMultiValueHeaders()
    {
        var payload = Encoding.UTF8.GetBytes("""
            {"httpMethod":"GET","path":"/dev/files/a b","multiValueQueryStringParameters":{"t":["1","2"]},
             "multiValueHeaders":{"Accept":["image/png"]},"requestContext":{"stage":"dev"},"body":null}
            """);

        var request = HttpEventRequest.Read(payload);

        Assert.Equal(("GET", "/dev", "/files/a b", false), (request.Method, request.PathBase, request.Path, request.PathIsEscaped));
        Assert.Null(request.RawQueryString);
        Assert.Equal("1,2", request.Query["t"]);
        Assert.True(request.Body.IsEmpty);

        var response = new HttpResponseData(200) { Body = new byte[] { 0x89, 0x50, 0x4e, 0x47 } };
        response.Headers.Add("Content-Type", "image/png");
        using var written = JsonDocument.Parse(request.WriteResponse(response));
        Assert.True(written.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(Convert.ToBase64String(new byte[] { 0x89, 0x50, 0x4e, 0x47 }), written.RootElement.GetProperty("body").GetString());
        Assert.Equal("image/png", written.RootElement.GetProperty("multiValueHeaders").GetProperty("Content-Type")[0].GetString());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"Records\":[{\"eventSource\":\"aws:sqs\",\"body\":\"hi\"}]}")]
    [InlineData("{\"httpMethod\":\"GET\"}")]
    public void HttpEventRequest_RefusesWhatIsNoHttpEvent_WithInvalidInput(string payload)
        => Assert.Throws<InvalidInputException>(() => HttpEventRequest.Read(Encoding.UTF8.GetBytes(payload)));
}
