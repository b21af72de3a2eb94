using Portable.Hosting;

namespace Portable.Azure.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FullCollectionsCollection
{
    public const string Name = "full collections counted";
}

/// <summary>
/// A large payload read into the reused buffer (<see cref="LargeInvocations.BeginInBuffer"/>) is given back by a blocking
/// collection only when the invocation allocated more than the payload; the count of full collections says whether one ran (the
/// collection runs alone, so no other test's collection is counted).
/// </summary>
[Collection(FullCollectionsCollection.Name)]
public sealed class LargeInvocationsInBufferTests
{
    [Fact]
    public void InvocationThatAllocatesLessThanItsInput_DoesNotCollect()
    {
        var before = GC.CollectionCount(GC.MaxGeneration);

        using (LargeInvocations.BeginInBuffer(2 * LargeInvocations.Threshold))
        {
            GC.KeepAlive(new byte[1024]);
        }

        Assert.Equal(before, GC.CollectionCount(GC.MaxGeneration));
    }

    [Fact]
    public void InvocationThatAllocatesMoreThanItsInput_CollectsWhenItEnds()
    {
        var before = GC.CollectionCount(GC.MaxGeneration);

        using (LargeInvocations.BeginInBuffer(LargeInvocations.Threshold))
        {
            GC.KeepAlive(new byte[2 * LargeInvocations.Threshold]);
        }

        Assert.Equal(before + 1, GC.CollectionCount(GC.MaxGeneration));
    }

    [Fact]
    public void SmallInput_IsNotWatched()
        => Assert.Null(LargeInvocations.BeginInBuffer(LargeInvocations.Threshold - 1));
}
