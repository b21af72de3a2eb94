using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Portable;

/// <summary>A W3C trace context: the <c>traceparent</c> and optional <c>tracestate</c> of an invocation.</summary>
public sealed record TraceContext
{
    private TraceContext(string traceId, string parentId, string flags, string? traceState)
    {
        TraceId = traceId;
        ParentId = parentId;
        Flags = flags;
        TraceState = traceState;
    }

    /// <summary>The 32 lower-case hex digit trace id.</summary>
    public string TraceId { get; }

    /// <summary>
    /// The 16 lower-case hex digit span id in the <c>traceparent</c>'s parent-id field: the caller's span in an incoming header; in
    /// <see cref="FunctionContext.Trace"/>, the invocation's own span, the parent of everything the function calls.
    /// </summary>
    public string ParentId { get; }

    /// <summary>The two hex digit trace flags (<c>01</c> when sampled).</summary>
    public string Flags { get; }

    /// <summary>The vendor-specific <c>tracestate</c>, if any.</summary>
    public string? TraceState { get; }

    /// <summary>The <c>traceparent</c> header value.</summary>
    public string TraceParent => $"00-{TraceId}-{ParentId}-{Flags}";

    /// <summary>Starts a new trace, for an invocation that arrived without one.</summary>
    /// <returns>A sampled root context with random ids.</returns>
    /// <remarks>
    /// The ids come from <see cref="Random.Shared"/>: trace ids must be unique, not secret, and the cryptographic generator
    /// would load OpenSSL on Linux, which costs a cold start several milliseconds.
    /// </remarks>
    public static TraceContext NewRoot()
    {
        Span<byte> bytes = stackalloc byte[24];
        do
        {
            Random.Shared.NextBytes(bytes);
        }
        while (bytes[..16].IndexOfAnyExcept((byte)0) < 0 || bytes[16..].IndexOfAnyExcept((byte)0) < 0); // all-zero ids are invalid
        return new TraceContext(Convert.ToHexStringLower(bytes[..16]), Convert.ToHexStringLower(bytes[16..]), "01", null);
    }

    /// <summary>Reads a <c>traceparent</c> header (version 00).</summary>
    /// <param name="traceParent">The header value.</param>
    /// <param name="traceState">The <c>tracestate</c> header value, if any.</param>
    /// <param name="context">The context, when the header is valid.</param>
    /// <returns>True when the header is a valid version-00 traceparent with non-zero ids.</returns>
    public static bool TryParse(string? traceParent, string? traceState, [NotNullWhen(true)] out TraceContext? context)
    {
        context = null;
        if (traceParent is null || traceParent.Length < 55) return false;
        var parts = traceParent.Trim().Split('-');
        if (parts.Length < 4 || !IsHex(parts[0], 2) || parts[0] == "ff") return false;
        if (parts[0] == "00" && parts.Length != 4) return false;
        if (!IsHex(parts[1], 32) || !IsHex(parts[2], 16) || !IsHex(parts[3], 2)) return false;
        if (parts[1].All(c => c == '0') || parts[2].All(c => c == '0')) return false;
        context = new TraceContext(parts[1], parts[2], parts[3], string.IsNullOrWhiteSpace(traceState) ? null : traceState);
        return true;
    }

    /// <summary>Reads a <c>traceparent</c> header, or starts a new trace when it is missing or invalid.</summary>
    /// <param name="traceParent">The header value.</param>
    /// <param name="traceState">The <c>tracestate</c> header value, if any.</param>
    /// <returns>The parsed or a new context.</returns>
    public static TraceContext ParseOrNew(string? traceParent, string? traceState = null)
        => TryParse(traceParent, traceState, out var context) ? context : NewRoot();

    /// <summary>Builds a context from a known trace id and parent span id, as converted from another tracing format.</summary>
    /// <param name="traceId">32 hex digits.</param>
    /// <param name="parentId">16 hex digits.</param>
    /// <param name="sampled">Whether the trace is sampled.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ArgumentException">An id is not hex of the right length.</exception>
    public static TraceContext Create(string traceId, string parentId, bool sampled)
    {
        if (!IsHex(traceId, 32)) throw new ArgumentException("A trace id is 32 lower-case hex digits.", nameof(traceId));
        if (!IsHex(parentId, 16)) throw new ArgumentException("A parent id is 16 lower-case hex digits.", nameof(parentId));
        if (traceId.All(c => c == '0')) throw new ArgumentException("A trace id cannot be all zeros.", nameof(traceId));
        if (parentId.All(c => c == '0')) throw new ArgumentException("A parent id cannot be all zeros.", nameof(parentId));
        return new TraceContext(traceId, parentId, sampled ? "01" : "00", null);
    }

    /// <summary>The context of <see cref="Activity.Current"/> (inside an invocation: the invocation's span), or null outside any activity.</summary>
    public static TraceContext? Current => FromActivity(Activity.Current);

    /// <summary>The context to send downstream from an activity: its trace id, its span id as the parent, its flags and trace state.</summary>
    /// <param name="activity">The activity, or null.</param>
    /// <returns>The context; null when <paramref name="activity"/> is null or does not use W3C ids.</returns>
    public static TraceContext? FromActivity(Activity? activity)
    {
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C) return null;
        return new TraceContext(
            activity.TraceId.ToHexString(),
            activity.SpanId.ToHexString(),
            (activity.ActivityTraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00",
            string.IsNullOrEmpty(activity.TraceStateString) ? null : activity.TraceStateString);
    }

    /// <summary>This context as the remote parent of an activity.</summary>
    /// <returns>The activity context, marked remote.</returns>
    public ActivityContext ToActivityContext()
        => new(
            ActivityTraceId.CreateFromString(TraceId),
            ActivitySpanId.CreateFromString(ParentId),
            IsSampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None,
            TraceState,
            isRemote: true);

    /// <summary>Whether the sampled flag (the lowest bit of <see cref="Flags"/>) is set.</summary>
    public bool IsSampled => (Convert.ToInt32(Flags, 16) & 1) == 1;

    /// <inheritdoc />
    public override string ToString() => TraceParent;

    private static bool IsHex(string value, int length)
        => value.Length == length && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
