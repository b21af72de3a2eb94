using System.Diagnostics.CodeAnalysis;

namespace Portable.OpenTelemetry;

/// <summary>
/// The feature switch <c>Portable.OpenTelemetry.Https</c>: whether the exporter may send to <c>https://</c> collectors, which takes
/// <see cref="HttpClient"/> and TLS. On unless the app turns it off; the local host's build turns it off (Portable.Local.targets,
/// <c>&lt;PortableOtlpHttps&gt;true&lt;/PortableOtlpHttps&gt;</c> keeps it), and the trimmer then drops HttpClient and TLS from the
/// binary, since <c>http://</c> collectors are reached through <see cref="PlainHttpClient"/>.
/// </summary>
internal static class OtlpHttps
{
    public const string Switch = "Portable.OpenTelemetry.Https";

    [FeatureSwitchDefinition(Switch)]
    public static bool IsSupported => !AppContext.TryGetSwitch(Switch, out var on) || on;
}
