namespace Portable.Local.Tests;

/// <summary>The test classes that assert <see cref="Environment.ExitCode"/> (process-wide) after a failed start: they run one at a time.</summary>
[CollectionDefinition(Collection)]
public sealed class ProcessExitCode
{
    public const string Collection = "Environment.ExitCode";
}
