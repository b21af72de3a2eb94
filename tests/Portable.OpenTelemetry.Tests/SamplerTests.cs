using System.Diagnostics;
using OtelSampler = OpenTelemetry.Trace;

namespace Portable.OpenTelemetry.Tests;

/// <summary>The samplers decide as the specification says, and the ratio sampler as the OpenTelemetry SDK's does, boundaries included.</summary>
public sealed class SamplerTests
{
    private static readonly ActivityContext SampledParent = new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
    private static readonly ActivityContext UnsampledParent = new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);

    [Fact]
    public void TheDefault_IsParentBasedAlwaysOn()
    {
        var sampler = Sampler.Read(null, null);

        Assert.True(sampler.ShouldSample(default, ActivityTraceId.CreateRandom()));
        Assert.True(sampler.ShouldSample(SampledParent, SampledParent.TraceId));
        Assert.False(sampler.ShouldSample(UnsampledParent, UnsampledParent.TraceId));
    }

    [Fact]
    public void AlwaysOnAndAlwaysOff_IgnoreTheParent()
    {
        Assert.True(Sampler.Read("always_on", null).ShouldSample(UnsampledParent, UnsampledParent.TraceId));
        Assert.False(Sampler.Read("always_off", null).ShouldSample(SampledParent, SampledParent.TraceId));
        Assert.False(Sampler.Read("always_off", null).ShouldSample(default, ActivityTraceId.CreateRandom()));
    }

    [Fact]
    public void ParentBasedAlwaysOff_DropsRoots_AndFollowsAParent()
    {
        var sampler = Sampler.Read("parentbased_always_off", null);

        Assert.False(sampler.ShouldSample(default, ActivityTraceId.CreateRandom()));
        Assert.True(sampler.ShouldSample(SampledParent, SampledParent.TraceId));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("0.5")]
    [InlineData("0.25")]
    [InlineData("0.0001")]
    public void TraceIdRatio_DecidesAsTheSdksTraceIdRatioBasedSampler_OnBoundaryAndRandomIds(string ratio)
    {
        var probability = double.Parse(ratio, System.Globalization.CultureInfo.InvariantCulture);
        var ours = Sampler.Read("traceidratio", ratio);
        var sdk = new OtelSampler.TraceIdRatioBasedSampler(probability);
        var ids = new List<ActivityTraceId>
        {
            Id("00000000000000000000000000000000".Replace("0000000000000000", "0000000000000001", StringComparison.Ordinal)),
            Id("00000000000000010000000000000000"),
            Id("7fffffffffffffff0000000000000000"),
            Id("8000000000000000ffffffffffffffff"),
            Id("8000000000000001ffffffffffffffff"),
            Id("ffffffffffffffff0000000000000000"),
            Id("3fffffffffffffff0000000000000000"),
            Id("4000000000000000ffffffffffffffff"),
            Id("c000000000000000ffffffffffffffff"),
            Id("1fffffffffffffff0000000000000000"),
        };
        var random = new Random(12);
        for (var i = 0; i < 2000; i++) ids.Add(ActivityTraceId.CreateFromBytes(Bytes(random)));

        foreach (var id in ids)
        {
            var expected = sdk.ShouldSample(new OtelSampler.SamplingParameters(default, id, "span", ActivityKind.Internal)).Decision == OtelSampler.SamplingDecision.RecordAndSample;
            Assert.True(expected == ours.ShouldSample(default, id), $"trace id {id} at ratio {ratio}: the SDK says {expected}");
        }
    }

    [Fact]
    public void TraceIdRatio_SamplesAboutTheRatio()
    {
        var sampler = Sampler.Read("traceidratio", "0.25");
        var random = new Random(7);

        var sampled = Enumerable.Range(0, 20000).Count(_ => sampler.ShouldSample(default, ActivityTraceId.CreateFromBytes(Bytes(random))));

        Assert.InRange(sampled, 4500, 5500);
    }

    private static ActivityTraceId Id(string hex) => ActivityTraceId.CreateFromString(hex);

    private static byte[] Bytes(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return bytes;
    }
}
