namespace Portable.Aws.Tests.Fixtures;

/// <summary>Runtime-loop tests set the process-wide <c>_X_AMZN_TRACE_ID</c>, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RuntimeCollection
{
    public const string Name = "Lambda runtime loop";
}
