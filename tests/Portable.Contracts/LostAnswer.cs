namespace Portable.Contracts;

/// <summary>How <see cref="LostAnswers"/> loses the answer of a write the server has applied.</summary>
public enum LostAnswer
{
    /// <summary>The connection breaks: the client sees an <see cref="HttpRequestException"/>.</summary>
    NetworkError,

    /// <summary>The client sees a 503 Service Unavailable instead of the server's answer.</summary>
    ServiceUnavailable,
}
