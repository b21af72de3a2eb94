using System.Collections;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Portable.Hosting;

/// <summary>
/// The log scope <see cref="FunctionExecutor"/> opens around every invocation: <c>FunctionName</c>, <c>InvocationId</c>,
/// <c>Platform</c>, <c>TraceId</c> and <c>SpanId</c> (the W3C ids of the invocation's span). Structured loggers see these five
/// pairs; each platform's console or JSON logger finds the innermost one with <see cref="Find"/> and writes its ids on every line
/// written inside the invocation, so a line can be joined to its invocation and its trace.
/// </summary>
public sealed class InvocationLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The key of the function's name.</summary>
    public const string FunctionNameKey = "FunctionName";

    /// <summary>The key of the invocation id.</summary>
    public const string InvocationIdKey = "InvocationId";

    /// <summary>The key of the platform's name.</summary>
    public const string PlatformKey = "Platform";

    /// <summary>The key of the trace id (32 lowercase hex digits).</summary>
    public const string TraceIdKey = "TraceId";

    /// <summary>The key of the invocation span's id (16 lowercase hex digits).</summary>
    public const string SpanIdKey = "SpanId";

    /// <summary>Creates the scope of one invocation.</summary>
    /// <param name="functionName">The function's name.</param>
    /// <param name="invocationId">The invocation id.</param>
    /// <param name="platform">The platform's name.</param>
    /// <param name="traceId">The trace id.</param>
    /// <param name="spanId">The invocation span's id.</param>
    /// <param name="sampled">Whether the span is sampled (recorded).</param>
    public InvocationLogScope(string functionName, string invocationId, string platform, string traceId, string spanId, bool sampled)
    {
        FunctionName = functionName;
        InvocationId = invocationId;
        Platform = platform;
        TraceId = traceId;
        SpanId = spanId;
        Sampled = sampled;
    }

    /// <summary>The function's name.</summary>
    public string FunctionName { get; }

    /// <summary>The invocation id.</summary>
    public string InvocationId { get; }

    /// <summary>The platform's name.</summary>
    public string Platform { get; }

    /// <summary>The trace id.</summary>
    public string TraceId { get; }

    /// <summary>The invocation span's id.</summary>
    public string SpanId { get; }

    /// <summary>Whether the invocation's span is sampled; not one of the pairs.</summary>
    public bool Sampled { get; }

    /// <inheritdoc />
    public int Count => 5;

    /// <inheritdoc />
    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(FunctionNameKey, FunctionName),
        1 => new(InvocationIdKey, InvocationId),
        2 => new(PlatformKey, Platform),
        3 => new(TraceIdKey, TraceId),
        4 => new(SpanIdKey, SpanId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>The innermost invocation scope among <paramref name="scopes"/>, or null outside any invocation.</summary>
    /// <param name="scopes">The logger's scopes.</param>
    /// <returns>The scope, or null.</returns>
    public static InvocationLogScope? Find(IExternalScopeProvider? scopes)
    {
        if (scopes is null) return null;
        var found = new StrongBox<InvocationLogScope?>();
        scopes.ForEachScope(static (scope, found) =>
        {
            if (scope is InvocationLogScope invocation) found.Value = invocation; // outermost first: the innermost is kept
        }, found);
        return found.Value;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => $"{FunctionName} {InvocationId}";
}
