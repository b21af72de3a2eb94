namespace Portable.Gcp.Tests.Fixtures;

/// <summary>Tests that start processes run one at a time: the machine has two cores.</summary>
[CollectionDefinition("processes", DisableParallelization = true)]
public sealed class ProcessCollection;
