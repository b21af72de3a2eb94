namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>How a host answered one input.</summary>
internal enum Category
{
    /// <summary>The process exited.</summary>
    Crash,

    /// <summary>No answer within the timeout.</summary>
    Hang,

    /// <summary>A server failure for input that was not valid: HTTP 5xx, a Lambda <c>Unhandled</c> error, a 5xx inside an HTTP event's response.</summary>
    ServerError,

    /// <summary>An answer that is neither a clear refusal nor an acceptance: a 4xx without a problem document, a malformed input accepted, an unreadable message left to retries.</summary>
    Unclear,

    /// <summary>A clear client answer: 4xx problem document, <c>Runtime.InvalidEvent</c>, the bad record named in <c>batchItemFailures</c>, dead-lettered at once.</summary>
    Clear,

    /// <summary>Valid input, accepted.</summary>
    Accepted,

    /// <summary>Valid input the handler failed on (it throws on purpose, e.g. an order that is not stored yet, so the message is retried).</summary>
    HandlerFailure,
}
