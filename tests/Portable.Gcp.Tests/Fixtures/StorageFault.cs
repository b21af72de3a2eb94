namespace Portable.Gcp.Tests.Fixtures;

/// <summary>What a fault planned on <see cref="FakeCloudStorage"/> does to the request it matches.</summary>
public enum StorageFault
{
    /// <summary>Answers 503 without doing anything.</summary>
    Unavailable,

    /// <summary>Closes the connection without doing anything.</summary>
    Drop,

    /// <summary>Does the work, then closes the connection instead of answering (a lost answer).</summary>
    ApplyThenDrop,
}
