using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;

namespace Portable.Contracts.Otlp;

/// <summary>What the decoded types share: the empty attribute set, times, ids, and formatting a value for a test to compare.</summary>
internal static class OtlpValues
{
    public static readonly IReadOnlyDictionary<string, object?> Empty = ReadOnlyDictionary<string, object?>.Empty;

    public static DateTimeOffset FromUnixNanos(ulong nanos) => DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));

    /// <summary>Lower-case hex of an id whose length must be <paramref name="bytes"/> (or empty when <paramref name="optional"/>).</summary>
    public static string Id(ReadOnlySpan<byte> id, int bytes, string what, bool optional)
    {
        if (id.Length == 0 && optional) return "";
        if (id.Length != bytes) throw new InvalidDataException($"Not a valid OTLP message: {what} has {id.Length} bytes, not {bytes}.");
        return Convert.ToHexStringLower(id);
    }

    /// <summary>OTLP's <c>Span.SpanKind</c>; unspecified (0) reads as internal, as the OTLP spec says it should.</summary>
    public static ActivityKind Kind(ulong kind, string span) => kind switch
    {
        0 or 1 => ActivityKind.Internal,
        2 => ActivityKind.Server,
        3 => ActivityKind.Client,
        4 => ActivityKind.Producer,
        5 => ActivityKind.Consumer,
        _ => throw new InvalidDataException($"Not a valid OTLP message: span '{span}' has kind {kind}, not one of 0-5."),
    };

    /// <summary>OTLP's <c>Status.StatusCode</c>.</summary>
    public static ActivityStatusCode Status(ulong code, string span) => code switch
    {
        0 => ActivityStatusCode.Unset,
        1 => ActivityStatusCode.Ok,
        2 => ActivityStatusCode.Error,
        _ => throw new InvalidDataException($"Not a valid OTLP message: span '{span}' has status code {code}, not one of 0-2."),
    };

    public static string? Format(IReadOnlyDictionary<string, object?> attributes, string key)
        => attributes.TryGetValue(key, out var value) ? Format(value) : null;

    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToHexStringLower(bytes),
        IReadOnlyDictionary<string, object?> map => "{" + string.Join(", ", map.Select(p => p.Key + "=" + Format(p.Value))) + "}",
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Format)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
