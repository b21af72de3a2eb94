using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Portable.Aws.Runtime;

namespace Portable.Aws.Tests;

/// <summary>The loop alone, with a substitute <see cref="ILambdaRuntimeClient"/> and a handler delegate.</summary>
[Collection(Fixtures.RuntimeCollection.Name)]
public sealed class LambdaRuntimeTests
{
    private static readonly RuntimeApiAnswer Accepted = new(202, "{\"status\":\"OK\"}");

    private readonly ILambdaRuntimeClient _client = Substitute.For<ILambdaRuntimeClient>();

    public LambdaRuntimeTests()
    {
        _client.PostResponseAsync(default!, default, default).ReturnsForAnyArgs(Accepted);
        _client.PostErrorAsync(default!, default!, default!, default).ReturnsForAnyArgs(Accepted);
    }

    [Fact]
    public async Task Handle_WhenTheHandlerAnswers_PostsItsPayloadAsTheResponse()
    {
        var runtime = new LambdaRuntime(_client, (_, _) => Task.FromResult<ReadOnlyMemory<byte>>("{\"ok\":true}"u8.ToArray()), NullLogger.Instance);

        await runtime.HandleAsync(Invocation("r-1"), default);

        await _client.Received(1).PostResponseAsync("r-1", Arg.Is<ReadOnlyMemory<byte>>(p => Encoding.UTF8.GetString(p.ToArray()) == "{\"ok\":true}"), Arg.Any<CancellationToken>());
        await _client.DidNotReceiveWithAnyArgs().PostErrorAsync(default!, default!, default!, default);
    }

    [Fact]
    public async Task Handle_WhenTheHandlerSaysTheEventIsUnreadable_PostsRuntimeInvalidEvent()
    {
        var runtime = new LambdaRuntime(_client, (_, _) => throw new InvalidInputException("not JSON"), NullLogger.Instance);

        await runtime.HandleAsync(Invocation("r-2"), default);

        await _client.Received(1).PostErrorAsync("r-2", Arg.Is<ErrorPayload>(e => e.ErrorType == "InvalidInputException" && e.ErrorMessage == "not JSON"), LambdaRuntime.InvalidEventError, Arg.Any<CancellationToken>());
        await _client.DidNotReceiveWithAnyArgs().PostResponseAsync(default!, default, default);
    }

    [Fact]
    public async Task Handle_WhenTheHandlerThrows_PostsAnUnhandledErrorWithTheExceptionType()
    {
        var runtime = new LambdaRuntime(_client, (_, _) => Task.FromException<ReadOnlyMemory<byte>>(new InvalidOperationException("boom")), NullLogger.Instance);

        await runtime.HandleAsync(Invocation("r-3"), default);

        await _client.Received(1).PostErrorAsync("r-3", Arg.Is<ErrorPayload>(e => e.ErrorType == "InvalidOperationException" && e.ErrorMessage == "boom"), LambdaRuntime.UnhandledError, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_WhenTheResponseIsRefusedWith413_PostsResponseTooLargeAsAnError()
    {
        _client.PostResponseAsync(default!, default, default).ReturnsForAnyArgs(new RuntimeApiAnswer(413, "too big"));
        var runtime = new LambdaRuntime(_client, (_, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[7]), NullLogger.Instance);

        await runtime.HandleAsync(Invocation("r-4"), default);

        await _client.Received(1).PostErrorAsync("r-4", Arg.Is<ErrorPayload>(e => e.ErrorType == "ResponseTooLarge" && e.ErrorMessage.Contains("413", StringComparison.Ordinal)), LambdaRuntime.ResponseRefusedError, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Run_SetsTheTraceIdOfEachInvocationAndKeepsPollingAfterFailures()
    {
        using var stop = new CancellationTokenSource();
        _client.GetNextAsync(Arg.Any<CancellationToken>()).Returns(
            Task.FromResult(Invocation("a", "Root=1-aaaaaaaa-000000000000000000000001")),
            Task.FromResult(Invocation("b", "Root=1-bbbbbbbb-000000000000000000000002")),
            Task.FromResult(Invocation("c", "Root=1-cccccccc-000000000000000000000003")),
            WaitForStop(stop.Token));
        var seen = new List<string?>();
        var runtime = new LambdaRuntime(_client, (invocation, _) =>
        {
            seen.Add(Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"));
            if (invocation.RequestId == "c") stop.Cancel();
            return invocation.RequestId == "a"
                ? Task.FromException<ReadOnlyMemory<byte>>(new InvalidOperationException("first fails"))
                : Task.FromResult<ReadOnlyMemory<byte>>("{}"u8.ToArray());
        }, NullLogger.Instance);

        await runtime.RunAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["Root=1-aaaaaaaa-000000000000000000000001", "Root=1-bbbbbbbb-000000000000000000000002", "Root=1-cccccccc-000000000000000000000003"], seen);
        await _client.Received(1).PostErrorAsync("a", Arg.Any<ErrorPayload>(), LambdaRuntime.UnhandledError, Arg.Any<CancellationToken>());
        await _client.Received(1).PostResponseAsync("b", Arg.Any<ReadOnlyMemory<byte>>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Run_WhenAnErrorPostIsRefused_KeepsPolling()
    {
        using var stop = new CancellationTokenSource();
        _client.PostErrorAsync(default!, default!, default!, default).ReturnsForAnyArgs(new RuntimeApiAnswer(500, "down"));
        _client.GetNextAsync(Arg.Any<CancellationToken>()).Returns(Task.FromResult(Invocation("a")), Task.FromResult(Invocation("b")), WaitForStop(stop.Token));
        var handled = new List<string>();
        var runtime = new LambdaRuntime(_client, (invocation, _) =>
        {
            handled.Add(invocation.RequestId);
            if (invocation.RequestId == "b") stop.Cancel();
            return Task.FromException<ReadOnlyMemory<byte>>(new InvalidOperationException("fails"));
        }, NullLogger.Instance);

        await runtime.RunAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["a", "b"], handled);
    }

    [Fact]
    public async Task Bootstrap_WhenTheHandlerIsUnknown_PostsAnInitErrorAndReturnsOne()
    {
        _client.PostInitErrorAsync(default!, default!, default).ReturnsForAnyArgs(Accepted);
        var builder = PortableApp.CreateBuilder([]);
        Fixtures.TestApp.Configure(builder);
        var environment = new Dictionary<string, string> { ["_HANDLER"] = "NoSuchFunction" };

        var exit = await LambdaBootstrap.RunAsync(builder.Build(), _client, name => environment.GetValueOrDefault(name), TextWriter.Null, default);

        Assert.Equal(1, exit);
        await _client.Received(1).PostInitErrorAsync(Arg.Is<ErrorPayload>(e => e.ErrorMessage.Contains("NoSuchFunction", StringComparison.Ordinal)), LambdaBootstrap.InitError, Arg.Any<CancellationToken>());
        await _client.DidNotReceive().GetNextAsync(Arg.Any<CancellationToken>());
    }

    private static LambdaInvocation Invocation(string requestId, string? trace = null)
        => new() { RequestId = requestId, Payload = "{}"u8.ToArray(), TraceHeader = trace };

    private static async Task<LambdaInvocation> WaitForStop(CancellationToken stop)
    {
        await Task.Delay(Timeout.Infinite, stop);
        throw new InvalidOperationException("unreachable");
    }
}
