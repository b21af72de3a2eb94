using System.Globalization;

namespace Portable.OpenTelemetry;

/// <summary>
/// The common OTLP messages (opentelemetry/proto/common/v1/common.proto and resource/v1/resource.proto): KeyValue, AnyValue,
/// ArrayValue, InstrumentationScope and Resource. Attribute values follow the SDK's mapping: strings, booleans, integers (int64),
/// floating point (double) and arrays of them; anything else as its invariant string; null values are left out.
/// </summary>
internal static class OtlpCommon
{
    /// <summary>Writes one KeyValue as field <paramref name="field"/>; a null value writes nothing.</summary>
    public static void KeyValue(ProtoWriter writer, int field, string key, object? value)
    {
        if (value is null) return;
        writer.Begin(field);
        writer.String(1, key);
        writer.Begin(2);
        AnyValue(writer, value);
        writer.End();
        writer.End();
    }

    public static void Resource(ProtoWriter writer, int field, IReadOnlyList<KeyValuePair<string, object>> attributes)
    {
        writer.Begin(field);
        foreach (var attribute in attributes) KeyValue(writer, 1, attribute.Key, attribute.Value);
        writer.End();
    }

    public static void Scope(ProtoWriter writer, int field, string name, string? version)
    {
        writer.Begin(field);
        writer.String(1, name);
        writer.String(2, version);
        writer.End();
    }

    /// <summary>Unix time in nanoseconds, as OTLP's fixed64 times.</summary>
    public static ulong Nanos(DateTime utc) => (ulong)(utc.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private static void AnyValue(ProtoWriter writer, object value)
    {
        switch (value)
        {
            case string s: writer.StringAlways(1, s); break;
            case bool b: writer.VarintAlways(2, b ? 1UL : 0UL); break;
            case char c: writer.StringAlways(1, c.ToString()); break;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.VarintAlways(3, (ulong)Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u when u <= long.MaxValue: writer.VarintAlways(3, u); break;
            case float f: writer.Double(4, f); break;
            case double d: writer.Double(4, d); break;
            case byte[] bytes: writer.StringAlways(1, Convert.ToBase64String(bytes)); break;
            case Array array when array.Rank == 1:
                writer.Begin(5);
                foreach (var item in array)
                {
                    writer.Begin(1);
                    if (item is not null) AnyValue(writer, item);
                    writer.End();
                }

                writer.End();
                break;
            default:
                writer.StringAlways(1, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }
}
