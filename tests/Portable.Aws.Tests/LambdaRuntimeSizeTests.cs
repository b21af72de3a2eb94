using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Portable.Aws.Runtime;
using Portable.Hosting;

namespace Portable.Aws.Tests;

/// <summary>What the loop learns of an invocation's size (it gives memory back after a large one), and that a refused large response does not stop it.</summary>
[Collection(Fixtures.RuntimeCollection.Name)]
public sealed class LambdaRuntimeSizeTests
{
    private static readonly RuntimeApiAnswer Accepted = new(202, "{\"status\":\"OK\"}");

    private readonly ILambdaRuntimeClient _client = Substitute.For<ILambdaRuntimeClient>();

    public LambdaRuntimeSizeTests()
    {
        _client.PostResponseAsync(default!, default, default).ReturnsForAnyArgs(Accepted);
        _client.PostErrorAsync(default!, default!, default!, default).ReturnsForAnyArgs(Accepted);
    }

    [Fact]
    public async Task Handle_ReturnsTheSizeOfThePostedResponse()
    {
        var runtime = new LambdaRuntime(_client, (_, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[LargeInvocations.Threshold + 1]), NullLogger.Instance);

        var bytes = await runtime.HandleAsync(new LambdaInvocation { RequestId = "r-1", Payload = "{}"u8.ToArray() }, default);

        Assert.Equal(LargeInvocations.Threshold + 1, bytes);
    }

    [Fact]
    public async Task Handle_WhenTheEventIsRefused_ReturnsZeroAndPostsInvalidEvent()
    {
        var runtime = new LambdaRuntime(_client, (_, _) => throw new InvalidInputException("not JSON"), NullLogger.Instance);

        var bytes = await runtime.HandleAsync(new LambdaInvocation { RequestId = "r-2", Payload = new byte[10] }, default);

        Assert.Equal(0, bytes);
        await _client.Received(1).PostErrorAsync("r-2", Arg.Any<ErrorPayload>(), LambdaRuntime.InvalidEventError, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Run_AfterALargeResponseTheApiRefuses_PostsAnErrorAndTakesTheNextEvent()
    {
        using var stop = new CancellationTokenSource();
        var served = new List<string>();
        _client.GetNextAsync(default).ReturnsForAnyArgs(
            Task.FromResult(new LambdaInvocation { RequestId = "big", Payload = "{}"u8.ToArray() }),
            Task.FromResult(new LambdaInvocation { RequestId = "small", Payload = "{}"u8.ToArray() }),
            Task.FromException<LambdaInvocation>(new OperationCanceledException(stop.Token)));
        _client.PostResponseAsync("big", default, default).ReturnsForAnyArgs(
            call => ((string)call[0]) == "big" ? new RuntimeApiAnswer(413, "too large") : Accepted);
        var runtime = new LambdaRuntime(
            _client,
            (invocation, _) =>
            {
                served.Add(invocation.RequestId);
                if (invocation.RequestId == "small") stop.Cancel();
                return Task.FromResult<ReadOnlyMemory<byte>>(new byte[invocation.RequestId == "big" ? 7 * 1024 * 1024 : 2]);
            },
            NullLogger.Instance);

        await runtime.RunAsync(stop.Token);

        Assert.Equal(["big", "small"], served);
        await _client.Received(1).PostErrorAsync("big", Arg.Is<ErrorPayload>(e => e.ErrorType == "ResponseTooLarge"), LambdaRuntime.ResponseRefusedError, Arg.Any<CancellationToken>());
    }
}
