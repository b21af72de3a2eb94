using System.Diagnostics;
using System.Globalization;

namespace Portable.OpenTelemetry;

/// <summary>
/// The specification's samplers (OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG): <c>always_on</c>, <c>always_off</c>,
/// <c>traceidratio</c> and the <c>parentbased_*</c> forms (the default is <c>parentbased_always_on</c>). The ratio decision is the
/// OpenTelemetry .NET SDK's: the trace id's first eight bytes, big-endian, with the sign bit cleared, below the ratio times
/// <see cref="long.MaxValue"/>.
/// </summary>
internal sealed class Sampler
{
    private enum Root
    {
        AlwaysOn,
        AlwaysOff,
        Ratio,
    }

    private readonly Root _root;
    private readonly bool _parentBased;
    private readonly long _idUpperBound;

    private Sampler(Root root, bool parentBased, double ratio)
    {
        _root = root;
        _parentBased = parentBased;
        _idUpperBound = ratio <= 0 ? long.MinValue : ratio >= 1 ? long.MaxValue : (long)(ratio * long.MaxValue);
    }

    public static Sampler Default { get; } = new(Root.AlwaysOn, true, 1);

    public static Sampler Read(string? name, string? argument)
    {
        var parentBased = name?.StartsWith("parentbased_", StringComparison.OrdinalIgnoreCase) ?? true;
        var root = (parentBased && name is not null ? name["parentbased_".Length..] : name)?.ToLowerInvariant() switch
        {
            null or "always_on" => Root.AlwaysOn,
            "always_off" => Root.AlwaysOff,
            "traceidratio" => Root.Ratio,
            _ => throw new PortableConfigurationException(
                $"OTEL_TRACES_SAMPLER is '{name}': use always_on, always_off, traceidratio, parentbased_always_on (the default), parentbased_always_off or parentbased_traceidratio."),
        };
        var ratio = 1.0;
        if (root == Root.Ratio && argument is not null
            && (!double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out ratio) || ratio is < 0 or > 1 || double.IsNaN(ratio)))
        {
            throw new PortableConfigurationException($"OTEL_TRACES_SAMPLER_ARG is '{argument}': for {name} it must be a probability from 0 to 1, such as 0.25.");
        }

        return new Sampler(root, parentBased, ratio);
    }

    /// <summary>Whether a span with this parent and trace id is recorded and sampled.</summary>
    public bool ShouldSample(in ActivityContext parent, ActivityTraceId traceId)
    {
        if (_parentBased && parent.TraceId != default) return (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0;
        return _root switch
        {
            Root.AlwaysOn => true,
            Root.AlwaysOff => false,
            _ => Below(traceId),
        };
    }

    private bool Below(ActivityTraceId traceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        long lower = 0;
        for (var i = 0; i < 8; i++) lower = lower << 8 | bytes[i];
        // As the SDK 1.20 decides (checked against it in SamplerTests): the sign bit cleared, not the absolute value.
        return (lower & long.MaxValue) < _idUpperBound;
    }
}
