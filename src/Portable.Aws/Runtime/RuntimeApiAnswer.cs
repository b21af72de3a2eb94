namespace Portable.Aws.Runtime;

/// <summary>What the Runtime API answered to a POST.</summary>
/// <param name="Status">The HTTP status: 202 when accepted.</param>
/// <param name="Body">The answer's body, for the log when it is not 202.</param>
internal readonly record struct RuntimeApiAnswer(int Status, string Body)
{
    /// <summary>Whether the Runtime API accepted the post (202).</summary>
    public bool IsAccepted => Status == 202;
}
