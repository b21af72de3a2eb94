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
    public void OverlappingLargeInvocations_CollectAtTheSecondEnd_EvenWhenAnotherIsStillInFlight()
    {
        var first = LargeInvocations.Begin(LargeInvocations.Threshold);
        var second = LargeInvocations.Begin(LargeInvocations.Threshold);
        var before = GC.CollectionCount(GC.MaxGeneration);

        first!.Dispose(); // the second is in flight: one ended, no collection yet
        var afterFirst = GC.CollectionCount(GC.MaxGeneration);
        var third = LargeInvocations.Begin(LargeInvocations.Threshold); // the next starts before the second ends, as in a steady stream
        second!.Dispose(); // two ended while others were in flight: collect now
        var afterSecond = GC.CollectionCount(GC.MaxGeneration);
        third!.Dispose(); // the last in flight ends: it collects, as a lone large invocation does
        var afterThird = GC.CollectionCount(GC.MaxGeneration);

        Assert.Equal(before, afterFirst);
        Assert.Equal(before + 1, afterSecond);
        Assert.Equal(before + 2, afterThird);
    }

    [Fact]
    public void SmallInput_IsNotWatched()
        => Assert.Null(LargeInvocations.BeginInBuffer(LargeInvocations.Threshold - 1));
}
