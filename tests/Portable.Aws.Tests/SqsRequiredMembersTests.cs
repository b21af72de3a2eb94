using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Aws.Tests.Fixtures;
using Portable.Testing;

namespace Portable.Aws.Tests;

/// <summary>A message type with required members: <c>{}</c> in an SQS batch fails only its record, logged once, and is never handed to the handler.</summary>
public sealed class SqsRequiredMembersTests
{
    [Fact]
    public async Task SqsBatch_WithAnEmptyObjectForAMessageWithRequiredMembers_FailsOnlyThatRecord()
    {
        await using var host = await PortableTestHost.StartAsync(builder =>
        {
            TestApp.Configure(builder);
            builder.AddJson(StrictJson.Default);
            builder.Functions.MapQueue<StrictHandler, StrictJob>("strict");
        });
        host.ClearLogs();

        var failed = await host.Aws().InvokeSqsAsync("StrictHandler", TestEvents.Sqs([("good", "{\"id\":\"s-1\"}", 1), ("empty", "{}", 1), ("not-json", "{", 1)]));

        Assert.Equal(["empty", "not-json"], failed);
        Assert.Equal(["s-1"], host.Services.GetRequiredService<Recorder>().Of<Seen<StrictJob>>().Select(s => s.Value.Id));
        Assert.Single(host.Logs, l => l.Level == LogLevel.Warning && l.InvocationId == "empty");
        Assert.DoesNotContain(host.Logs, l => l.Level >= LogLevel.Error);
    }
}

public sealed record StrictJob
{
    public required string Id { get; init; }
}

public sealed class StrictHandler(Recorder recorder) : IMessageHandler<StrictJob>
{
    public Task HandleAsync(StrictJob message, FunctionContext context, CancellationToken cancellationToken)
    {
        recorder.Add(new Seen<StrictJob>(message, context));
        return Task.CompletedTask;
    }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StrictJob))]
public sealed partial class StrictJson : JsonSerializerContext;
