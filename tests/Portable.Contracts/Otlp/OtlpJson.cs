using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Portable.Contracts.Otlp;

/// <summary>
/// Decodes OTLP/JSON export requests (the protobuf JSON mapping OTLP/HTTP specifies: lowerCamelCase names, the snake_case
/// originals accepted too, trace and span ids as hex, 64-bit integers as strings or numbers, enums as integers) into the same
/// types as <see cref="OtlpProtobuf"/>. Anything that does not fit throws <see cref="InvalidDataException"/>.
/// </summary>
internal static class OtlpJson
{
    public static List<OtlpSpan> ReadTraces(byte[] body) => Read(body, root =>
    {
        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in Array(root, "resourceSpans"))
        {
            var resource = Resource(resourceSpans);
            foreach (var scopeSpans in Array(resourceSpans, "scopeSpans"))
            {
                var (scope, version) = Scope(scopeSpans);
                foreach (var span in Array(scopeSpans, "spans")) spans.Add(Span(span, scope, version, resource));
            }
        }

        return spans;
    });

    public static List<OtlpMetric> ReadMetrics(byte[] body) => Read(body, root =>
    {
        var metrics = new List<OtlpMetric>();
        foreach (var resourceMetrics in Array(root, "resourceMetrics"))
        {
            var resource = Resource(resourceMetrics);
            foreach (var scopeMetrics in Array(resourceMetrics, "scopeMetrics"))
            {
                var (scope, _) = Scope(scopeMetrics);
                foreach (var metric in Array(scopeMetrics, "metrics")) metrics.Add(Metric(metric, scope, resource));
            }
        }

        return metrics;
    });

    public static List<OtlpLogRecord> ReadLogs(byte[] body) => Read(body, root =>
    {
        var records = new List<OtlpLogRecord>();
        foreach (var resourceLogs in Array(root, "resourceLogs"))
            foreach (var scopeLogs in Array(resourceLogs, "scopeLogs"))
            {
                var (scope, _) = Scope(scopeLogs);
                foreach (var record in Array(scopeLogs, "logRecords"))
                {
                    var time = U64(record, "timeUnixNano");
                    records.Add(new OtlpLogRecord
                    {
                        Body = Property(record, "body") is { } b ? OtlpValues.Format(AnyValue(b)) : "",
                        SeverityText = Str(record, "severityText"),
                        SeverityNumber = (int)U64(record, "severityNumber"),
                        TraceId = Id(record, "traceId", 16, optional: true),
                        SpanId = Id(record, "spanId", 8, optional: true),
                        Time = OtlpValues.FromUnixNanos(time != 0 ? time : U64(record, "observedTimeUnixNano")),
                        Attributes = Attributes(record, "attributes"),
                        ScopeName = scope,
                    });
                }
            }

        return records;
    });

    private static T Read<T>(byte[] body, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException("Not a valid OTLP/JSON message: the body is not a JSON object.");
            return read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new InvalidDataException("Not a valid OTLP/JSON message: " + e.Message, e);
        }
    }

    private static OtlpSpan Span(JsonElement span, string scope, string version, IReadOnlyDictionary<string, object?> resource)
    {
        var name = Str(span, "name");
        var kind = U64(span, "kind");
        var status = Property(span, "status");
        var code = status is { } s ? U64(s, "code") : 0;
        return new OtlpSpan
        {
            TraceId = Id(span, "traceId", 16, optional: false),
            SpanId = Id(span, "spanId", 8, optional: false),
            ParentSpanId = Id(span, "parentSpanId", 8, optional: true),
            TraceState = Str(span, "traceState"),
            Name = name,
            Kind = OtlpValues.Kind(kind, name),
            StartTime = OtlpValues.FromUnixNanos(U64(span, "startTimeUnixNano")),
            EndTime = OtlpValues.FromUnixNanos(U64(span, "endTimeUnixNano")),
            Attributes = Attributes(span, "attributes"),
            Status = OtlpValues.Status(code, name),
            StatusMessage = status is { } m ? Str(m, "message") : "",
            Events = Array(span, "events")
                .Select(e => new OtlpSpanEvent(Str(e, "name"), OtlpValues.FromUnixNanos(U64(e, "timeUnixNano")), Attributes(e, "attributes"))).ToList(),
            Links = Array(span, "links")
                .Select(l => new OtlpSpanLink(Id(l, "traceId", 16, optional: false), Id(l, "spanId", 8, optional: false), Str(l, "traceState"), Attributes(l, "attributes"))).ToList(),
            Flags = (uint)U64(span, "flags"),
            ScopeName = scope,
            ScopeVersion = version,
            Resource = resource,
        };
    }

    private static OtlpMetric Metric(JsonElement metric, string scope, IReadOnlyDictionary<string, object?> resource)
    {
        var (kind, data) =
            Property(metric, "gauge") is { } gauge ? (OtlpMetricKind.Gauge, gauge)
            : Property(metric, "sum") is { } sum ? (OtlpMetricKind.Sum, sum)
            : Property(metric, "histogram") is { } histogram ? (OtlpMetricKind.Histogram, histogram)
            : Property(metric, "exponentialHistogram") is { } exponential ? (OtlpMetricKind.ExponentialHistogram, exponential)
            : Property(metric, "summary") is { } summary ? (OtlpMetricKind.Summary, summary)
            : (OtlpMetricKind.None, default);
        var number = kind is OtlpMetricKind.Gauge or OtlpMetricKind.Sum;
        return new OtlpMetric
        {
            Name = Str(metric, "name"),
            Description = Str(metric, "description"),
            Unit = Str(metric, "unit"),
            Kind = kind,
            IsMonotonic = kind == OtlpMetricKind.Sum && Property(data, "isMonotonic") is { } monotonic && monotonic.GetBoolean(),
            Temporality = kind == OtlpMetricKind.None ? 0 : (int)U64(data, "aggregationTemporality"),
            DataPoints = kind == OtlpMetricKind.None ? [] : Array(data, "dataPoints").Select(p => new OtlpDataPoint
            {
                Attributes = Attributes(p, "attributes"),
                StartTime = OtlpValues.FromUnixNanos(U64(p, "startTimeUnixNano")),
                Time = OtlpValues.FromUnixNanos(U64(p, "timeUnixNano")),
                LongValue = number && Property(p, "asInt") is { } i ? I64(i) : null,
                DoubleValue = number && Property(p, "asDouble") is { } d ? Double(d) : null,
                Count = !number ? U64(p, "count") : null,
                Sum = !number && Property(p, "sum") is { } s ? Double(s) : null,
                Min = Property(p, "min") is { } min ? Double(min) : null,
                Max = Property(p, "max") is { } max ? Double(max) : null,
                BucketCounts = kind == OtlpMetricKind.Histogram ? Array(p, "bucketCounts").Select(U64).ToList() : [],
                ExplicitBounds = kind == OtlpMetricKind.Histogram ? Array(p, "explicitBounds").Select(Double).ToList() : [],
            }).ToList(),
            ScopeName = scope,
            Resource = resource,
        };
    }

    private static Dictionary<string, object?> Resource(JsonElement parent)
        => Property(parent, "resource") is { } resource ? Attributes(resource, "attributes") : new Dictionary<string, object?>(StringComparer.Ordinal);

    private static (string Name, string Version) Scope(JsonElement parent)
        => Property(parent, "scope") is { } scope ? (Str(scope, "name"), Str(scope, "version")) : ("", "");

    private static Dictionary<string, object?> Attributes(JsonElement parent, string name)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in Array(parent, name))
            attributes[Str(pair, "key")] = Property(pair, "value") is { } value ? AnyValue(value) : null;
        return attributes;
    }

    private static object? AnyValue(JsonElement value)
    {
        if (Property(value, "stringValue") is { } s) return s.GetString();
        if (Property(value, "boolValue") is { } b) return b.GetBoolean();
        if (Property(value, "intValue") is { } i) return I64(i);
        if (Property(value, "doubleValue") is { } d) return Double(d);
        if (Property(value, "arrayValue") is { } array) return Array(array, "values").Select(AnyValue).ToList();
        if (Property(value, "kvlistValue") is { } list) return Attributes(list, "values");
        if (Property(value, "bytesValue") is { } bytes) return bytes.GetBytesFromBase64();
        return null;
    }

    /// <summary>A property by its lowerCamelCase name or its proto (snake_case) name; null when absent or JSON null.</summary>
    private static JsonElement? Property(JsonElement parent, string camelName)
    {
        if (parent.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"Not a valid OTLP/JSON message: expected an object holding '{camelName}', found {parent.ValueKind}.");
        if (parent.TryGetProperty(camelName, out var value) || parent.TryGetProperty(Snake(camelName), out value))
            return value.ValueKind == JsonValueKind.Null ? null : value;
        return null;
    }

    private static string Snake(string camel) => string.Concat(camel.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));

    private static IEnumerable<JsonElement> Array(JsonElement parent, string name)
    {
        if (Property(parent, name) is not { } value) return [];
        if (value.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"Not a valid OTLP/JSON message: '{name}' is {value.ValueKind}, not an array.");
        return value.EnumerateArray();
    }

    private static string Str(JsonElement parent, string name) => Property(parent, name)?.GetString() ?? "";

    private static string Id(JsonElement parent, string name, int bytes, bool optional)
        => OtlpValues.Id(Convert.FromHexString(Str(parent, name)), bytes, "'" + name + "'", optional);

    private static ulong U64(JsonElement parent, string name) => Property(parent, name) is { } value ? U64(value) : 0;

    private static ulong U64(JsonElement value)
        => value.ValueKind == JsonValueKind.String ? ulong.Parse(value.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture) : value.GetUInt64();

    private static long I64(JsonElement value)
        => value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : value.GetInt64();

    private static double Double(JsonElement value)
        => value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture) : value.GetDouble();
}
