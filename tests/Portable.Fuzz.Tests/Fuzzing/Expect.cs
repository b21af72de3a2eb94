namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>What the generator knows of an input.</summary>
internal enum Expect
{
    /// <summary>A seed, or a mutation the oracle reads as valid: it must be accepted (or fail only in the handler, with a log line).</summary>
    Valid,

    /// <summary>Malformed by construction: it must get a clear client answer.</summary>
    Malformed,

    /// <summary>A random mutation the oracle cannot judge: accepted or a clear client answer are both right.</summary>
    Either,
}
