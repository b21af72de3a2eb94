namespace Portable.Fuzz.Tests;

/// <summary>The hosts run one at a time: their memory is measured, and the machine is small.</summary>
[CollectionDefinition("hosts", DisableParallelization = true)]
public sealed class HostCollection;
