namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>The two shapes of a largest input: valid with one huge string, or refused as it is read.</summary>
public enum InputShape
{
    /// <summary>Valid JSON of the function's type whose one string field fills it: the function is given a string of nearly the input's size.</summary>
    HugeString,

    /// <summary>JSON of the right size with a member of the wrong type (a huge string where an array or object belongs): refused as it is read.</summary>
    WrongType,
}
