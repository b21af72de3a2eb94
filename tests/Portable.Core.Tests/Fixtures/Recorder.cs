using System.Collections.Concurrent;

namespace Portable.Core.Tests.Fixtures;

/// <summary>A singleton the test functions write what they saw to.</summary>
public sealed class Recorder
{
    public ConcurrentQueue<object> Inputs { get; } = new();

    public ConcurrentQueue<FunctionContext> Contexts { get; } = new();

    public ConcurrentQueue<ScopedProbe> Probes { get; } = new();

    public ConcurrentQueue<ScopedProbe> ProbesFromContextServices { get; } = new();

    public ConcurrentQueue<CancellationToken> Tokens { get; } = new();

    /// <summary><see cref="System.Diagnostics.Activity.Current"/> as the function saw it.</summary>
    public ConcurrentQueue<System.Diagnostics.Activity?> Activities { get; } = new();
}

/// <summary>A scoped service, to tell DI scopes apart.</summary>
public sealed class ScopedProbe : IDisposable
{
    public Guid Id { get; } = Guid.NewGuid();

    public bool Disposed { get; private set; }

    public void Dispose() => Disposed = true;
}
