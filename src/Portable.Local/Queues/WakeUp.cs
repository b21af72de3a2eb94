namespace Portable.Local.Queues;

/// <summary>A reusable signal: <see cref="Current"/> completes at the next <see cref="Set"/>.</summary>
internal sealed class WakeUp
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next <see cref="Set"/>. Take it before looking for work, so a signal in between is not missed.</summary>
    public Task Current => Volatile.Read(ref _next).Task;

    public void Set() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
