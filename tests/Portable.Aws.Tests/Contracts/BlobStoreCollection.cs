using Portable.Contracts;

namespace Portable.Aws.Tests.Contracts;

/// <summary>The blob store contract measures the whole process's memory: nothing runs beside it.</summary>
[CollectionDefinition(BlobStoreContract.MemoryCollection, DisableParallelization = true)]
public sealed class BlobStoreCollection;
