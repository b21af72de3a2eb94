using System.Collections.Concurrent;
using Portable.Gcp;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>What the test functions received.</summary>
public sealed class Recorder
{
    public ConcurrentQueue<CloudEvent> Events { get; } = new();

    public ConcurrentQueue<LegacyEvent> LegacyEvents { get; } = new();

    public ConcurrentQueue<(Job Job, FunctionContext Context)> Jobs { get; } = new();

    public ConcurrentQueue<(Notification Notification, FunctionContext Context)> Notifications { get; } = new();

    public ConcurrentQueue<ScheduledEvent> Ticks { get; } = new();

    public ConcurrentQueue<string> HttpCalls { get; } = new();

    public TaskCompletionSource SlowGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
