namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>
/// One generated input: the bytes sent (a whole HTTP request, or a Lambda event) to <see cref="Target"/> (a function, for hosts that
/// run one process or one handler per function).
/// </summary>
/// <param name="Target">The function (or process) the input goes to.</param>
/// <param name="Label">What the generator did, for the report: seed and mutation.</param>
/// <param name="Expect">Whether it is valid, malformed, or unknown.</param>
/// <param name="Bytes">What is sent.</param>
internal sealed record FuzzCase(string Target, string Label, Expect Expect, byte[] Bytes)
{
    /// <summary>An HTTP framing error: Kestrel's bare 400 is the clear answer, no problem document is expected.</summary>
    public bool Framing { get; init; }

    /// <summary>SQS record ids the generator broke: each must be named in <c>batchItemFailures</c>.</summary>
    public IReadOnlyList<string> BadRecords { get; init; } = [];

    /// <summary>The shape of the input (HTTP, SQS, push, …), for the per-channel counts.</summary>
    public string Channel { get; init; } = "http";

    /// <summary>The message text a local queue should dead-letter, when the input is a queue message.</summary>
    public string? QueueBody { get; init; }
}

/// <summary>How a host answered one case.</summary>
internal sealed record Verdict(Category Category, string Answer);
