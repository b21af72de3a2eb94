namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>The shapes of a largest input: one huge string, a member of the wrong type, or as many strings as fit just under the host's string limit.</summary>
public enum InputShape
{
    /// <summary>
    /// Valid JSON of the function's type whose one string field fills it. Refused as it is read since <c>Portable:MaxInputStringBytes</c>
    /// (1 MiB by default): before that, the function was given a string of nearly the input's size.
    /// </summary>
    HugeString,

    /// <summary>JSON of the right size with a member of the wrong type (a huge string where an array or object belongs): refused as it is read.</summary>
    WrongType,

    /// <summary>
    /// Valid JSON of the function's type filled with strings each one byte under <c>Portable:MaxInputStringBytes</c> (1 MiB by
    /// default): the most string an accepted input can hold. An <c>OrderPlaced</c> has one string member; its input repeats the
    /// member, which is refused as a duplicate when the second copy is reached (one string made), so on the GCP and Azure hosts
    /// this shape measures a refusal, as <see cref="HugeString"/> does.
    /// </summary>
    StringsUnderLimit,
}
