using System.Diagnostics;

namespace Portable.Contracts.Otlp;

/// <summary>
/// Decodes OTLP's <c>Export{Trace,Metrics,Logs}ServiceRequest</c> protobuf messages (opentelemetry-proto v1) into the receiver's
/// types. Field numbers are those of <c>opentelemetry/proto/{trace,metrics,logs,common,resource}/v1/*.proto</c>; unknown fields
/// are skipped as protobuf parsers skip them, a known field with the wrong wire type or an id of the wrong length is an error.
/// </summary>
internal static class OtlpProtobuf
{
    public static List<OtlpSpan> ReadTraces(ReadOnlySpan<byte> body)
    {
        var spans = new List<OtlpSpan>();
        var request = new ProtoReader(body);
        while (request.Next(out var field))
        {
            if (field != 1) { request.Skip(); continue; }
            request.Expect(field, ProtoReader.LengthDelimited);

            // ResourceSpans: resource = 1, scope_spans = 2.
            var resourceSpans = new ProtoReader(request.ReadBytes());
            var resource = OtlpValues.Empty;
            var scopes = new List<(string Name, string Version, List<OtlpSpan> Spans)>();
            while (resourceSpans.Next(out var f))
            {
                switch (f)
                {
                    case 1:
                        resourceSpans.Expect(f, ProtoReader.LengthDelimited);
                        resource = ReadResource(resourceSpans.ReadBytes());
                        break;
                    case 2:
                        resourceSpans.Expect(f, ProtoReader.LengthDelimited);
                        scopes.Add(ReadScopeSpans(resourceSpans.ReadBytes()));
                        break;
                    default:
                        resourceSpans.Skip();
                        break;
                }
            }

            // The resource may come after the scopes on the wire: attach it once the message is read.
            foreach (var (name, version, scopeSpans) in scopes)
                foreach (var span in scopeSpans) spans.Add(span with { ScopeName = name, ScopeVersion = version, Resource = resource });
        }

        return spans;
    }

    public static List<OtlpMetric> ReadMetrics(ReadOnlySpan<byte> body)
    {
        var metrics = new List<OtlpMetric>();
        var request = new ProtoReader(body);
        while (request.Next(out var field))
        {
            if (field != 1) { request.Skip(); continue; }
            request.Expect(field, ProtoReader.LengthDelimited);

            // ResourceMetrics: resource = 1, scope_metrics = 2.
            var resourceMetrics = new ProtoReader(request.ReadBytes());
            var resource = OtlpValues.Empty;
            var read = new List<(string Scope, Metric Metric)>();
            while (resourceMetrics.Next(out var f))
            {
                switch (f)
                {
                    case 1:
                        resourceMetrics.Expect(f, ProtoReader.LengthDelimited);
                        resource = ReadResource(resourceMetrics.ReadBytes());
                        break;
                    case 2:
                        resourceMetrics.Expect(f, ProtoReader.LengthDelimited);
                        ReadScopeMetrics(resourceMetrics.ReadBytes(), read);
                        break;
                    default:
                        resourceMetrics.Skip();
                        break;
                }
            }

            foreach (var (scope, m) in read)
                metrics.Add(new OtlpMetric
                {
                    Name = m.Name, Description = m.Description, Unit = m.Unit, Kind = m.Kind, IsMonotonic = m.IsMonotonic,
                    Temporality = m.Temporality, DataPoints = m.Points, ScopeName = scope, Resource = resource,
                });
        }

        return metrics;
    }

    public static List<OtlpLogRecord> ReadLogs(ReadOnlySpan<byte> body)
    {
        var records = new List<OtlpLogRecord>();
        var request = new ProtoReader(body);
        while (request.Next(out var field))
        {
            if (field != 1) { request.Skip(); continue; }
            request.Expect(field, ProtoReader.LengthDelimited);

            // ResourceLogs: resource = 1 (not kept), scope_logs = 2.
            var resourceLogs = new ProtoReader(request.ReadBytes());
            while (resourceLogs.Next(out var f))
            {
                if (f != 2) { resourceLogs.Skip(); continue; }
                resourceLogs.Expect(f, ProtoReader.LengthDelimited);

                // ScopeLogs: scope = 1, log_records = 2.
                var scopeLogs = new ProtoReader(resourceLogs.ReadBytes());
                var scope = "";
                var start = records.Count;
                while (scopeLogs.Next(out var g))
                {
                    switch (g)
                    {
                        case 1:
                            scopeLogs.Expect(g, ProtoReader.LengthDelimited);
                            scope = ReadScope(scopeLogs.ReadBytes()).Name;
                            break;
                        case 2:
                            scopeLogs.Expect(g, ProtoReader.LengthDelimited);
                            records.Add(ReadLogRecord(scopeLogs.ReadBytes()));
                            break;
                        default:
                            scopeLogs.Skip();
                            break;
                    }
                }

                for (var i = start; i < records.Count; i++) records[i] = records[i] with { ScopeName = scope };
            }
        }

        return records;
    }

    private static (string Name, string Version, List<OtlpSpan> Spans) ReadScopeSpans(ReadOnlySpan<byte> bytes)
    {
        // ScopeSpans: scope = 1, spans = 2.
        var reader = new ProtoReader(bytes);
        var scope = (Name: "", Version: "");
        var spans = new List<OtlpSpan>();
        while (reader.Next(out var field))
        {
            switch (field)
            {
                case 1:
                    reader.Expect(field, ProtoReader.LengthDelimited);
                    scope = ReadScope(reader.ReadBytes());
                    break;
                case 2:
                    reader.Expect(field, ProtoReader.LengthDelimited);
                    spans.Add(ReadSpan(reader.ReadBytes()));
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return (scope.Name, scope.Version, spans);
    }

    private static OtlpSpan ReadSpan(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        ReadOnlySpan<byte> traceId = default, spanId = default, parentSpanId = default;
        string name = "", traceState = "", statusMessage = "";
        ulong kind = 0, start = 0, end = 0, statusCode = 0;
        uint flags = 0;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var events = new List<OtlpSpanEvent>();
        var links = new List<OtlpSpanLink>();
        while (reader.Next(out var field))
        {
            switch (field)
            {
                case 1: reader.Expect(field, ProtoReader.LengthDelimited); traceId = reader.ReadBytes(); break;
                case 2: reader.Expect(field, ProtoReader.LengthDelimited); spanId = reader.ReadBytes(); break;
                case 3: reader.Expect(field, ProtoReader.LengthDelimited); traceState = reader.ReadString(); break;
                case 4: reader.Expect(field, ProtoReader.LengthDelimited); parentSpanId = reader.ReadBytes(); break;
                case 5: reader.Expect(field, ProtoReader.LengthDelimited); name = reader.ReadString(); break;
                case 6: reader.Expect(field, ProtoReader.Varint); kind = reader.ReadVarint(); break;
                case 7: reader.Expect(field, ProtoReader.Fixed64); start = reader.ReadFixed64(); break;
                case 8: reader.Expect(field, ProtoReader.Fixed64); end = reader.ReadFixed64(); break;
                case 9: reader.Expect(field, ProtoReader.LengthDelimited); ReadKeyValue(reader.ReadBytes(), attributes); break;
                case 11: reader.Expect(field, ProtoReader.LengthDelimited); events.Add(ReadEvent(reader.ReadBytes())); break;
                case 13: reader.Expect(field, ProtoReader.LengthDelimited); links.Add(ReadLink(reader.ReadBytes())); break;
                case 15:
                    // Status: message = 2, code = 3.
                    reader.Expect(field, ProtoReader.LengthDelimited);
                    var status = new ProtoReader(reader.ReadBytes());
                    while (status.Next(out var s))
                    {
                        if (s == 2) { status.Expect(s, ProtoReader.LengthDelimited); statusMessage = status.ReadString(); }
                        else if (s == 3) { status.Expect(s, ProtoReader.Varint); statusCode = status.ReadVarint(); }
                        else status.Skip();
                    }

                    break;
                case 16: reader.Expect(field, ProtoReader.Fixed32); flags = reader.ReadFixed32(); break;
                default: reader.Skip(); break;
            }
        }

        return new OtlpSpan
        {
            TraceId = OtlpValues.Id(traceId, 16, "a span's trace_id", optional: false),
            SpanId = OtlpValues.Id(spanId, 8, $"span '{name}''s span_id", optional: false),
            ParentSpanId = OtlpValues.Id(parentSpanId, 8, $"span '{name}''s parent_span_id", optional: true),
            TraceState = traceState,
            Name = name,
            Kind = OtlpValues.Kind(kind, name),
            StartTime = OtlpValues.FromUnixNanos(start),
            EndTime = OtlpValues.FromUnixNanos(end),
            Attributes = attributes,
            Status = OtlpValues.Status(statusCode, name),
            StatusMessage = statusMessage,
            Events = events,
            Links = links,
            Flags = flags,
        };
    }

    private static OtlpSpanEvent ReadEvent(ReadOnlySpan<byte> bytes)
    {
        // Span.Event: time_unix_nano = 1, name = 2, attributes = 3.
        var reader = new ProtoReader(bytes);
        ulong time = 0;
        var name = "";
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Next(out var field))
        {
            switch (field)
            {
                case 1: reader.Expect(field, ProtoReader.Fixed64); time = reader.ReadFixed64(); break;
                case 2: reader.Expect(field, ProtoReader.LengthDelimited); name = reader.ReadString(); break;
                case 3: reader.Expect(field, ProtoReader.LengthDelimited); ReadKeyValue(reader.ReadBytes(), attributes); break;
                default: reader.Skip(); break;
            }
        }

        return new OtlpSpanEvent(name, OtlpValues.FromUnixNanos(time), attributes);
    }

    private static OtlpSpanLink ReadLink(ReadOnlySpan<byte> bytes)
    {
        // Span.Link: trace_id = 1, span_id = 2, trace_state = 3, attributes = 4.
        var reader = new ProtoReader(bytes);
        ReadOnlySpan<byte> traceId = default, spanId = default;
        var traceState = "";
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Next(out var field))
        {
            switch (field)
            {
                case 1: reader.Expect(field, ProtoReader.LengthDelimited); traceId = reader.ReadBytes(); break;
                case 2: reader.Expect(field, ProtoReader.LengthDelimited); spanId = reader.ReadBytes(); break;
                case 3: reader.Expect(field, ProtoReader.LengthDelimited); traceState = reader.ReadString(); break;
                case 4: reader.Expect(field, ProtoReader.LengthDelimited); ReadKeyValue(reader.ReadBytes(), attributes); break;
                default: reader.Skip(); break;
            }
        }

        return new OtlpSpanLink(
            OtlpValues.Id(traceId, 16, "a link's trace_id", optional: false), OtlpValues.Id(spanId, 8, "a link's span_id", optional: false), traceState, attributes);
    }

    private sealed record Metric(string Name, string Description, string Unit, OtlpMetricKind Kind, bool IsMonotonic, int Temporality, List<OtlpDataPoint> Points);

    private static void ReadScopeMetrics(ReadOnlySpan<byte> bytes, List<(string Scope, Metric Metric)> into)
    {
        // ScopeMetrics: scope = 1, metrics = 2.
        var reader = new ProtoReader(bytes);
        var scope = "";
        var start = into.Count;
        while (reader.Next(out var field))
        {
            switch (field)
            {
                case 1: reader.Expect(field, ProtoReader.LengthDelimited); scope = ReadScope(reader.ReadBytes()).Name; break;
                case 2: reader.Expect(field, ProtoReader.LengthDelimited); into.Add(("", ReadMetric(reader.ReadBytes()))); break;
                default: reader.Skip(); break;
            }
        }

        for (var i = start; i < into.Count; i++) into[i] = (scope, into[i].Metric);
    }

    private static Metric ReadMetric(ReadOnlySpan<byte> bytes)
    {
        // Metric: name = 1, description = 2, unit = 3, gauge = 5, sum = 7, histogram = 9, exponential_histogram = 10, summary = 11.
        var reader = new ProtoReader(bytes);
        string name = "", description = "", unit = "";
        var kind = OtlpMetricKind.None;
        var monotonic = false;
        var temporality = 0;
        var points = new List<OtlpDataPoint>();
        while (reader.Next(out var field))
        {
            switch (field)
            {
                case 1: reader.Expect(field, ProtoReader.LengthDelimited); name = reader.ReadString(); break;
                case 2: reader.Expect(field, ProtoReader.LengthDelimited); description = reader.ReadString(); break;
                case 3: reader.Expect(field, ProtoReader.LengthDelimited); unit = reader.ReadString(); break;
                case 5 or 7 or 9 or 10 or 11:
                    reader.Expect(field, ProtoReader.LengthDelimited);
                    kind = field switch
                    {
                        5 => OtlpMetricKind.Gauge,
                        7 => OtlpMetricKind.Sum,
                        9 => OtlpMetricKind.Histogram,
                        10 => OtlpMetricKind.ExponentialHistogram,
                        _ => OtlpMetricKind.Summary,
                    };

                    // Gauge, Sum, Histogram, ExponentialHistogram, Summary: data_points = 1, aggregation_temporality = 2, is_monotonic = 3 (Sum).
                    var data = new ProtoReader(reader.ReadBytes());
                    while (data.Next(out var d))
                    {
                        if (d == 1) { data.Expect(d, ProtoReader.LengthDelimited); points.Add(ReadPoint(data.ReadBytes(), kind)); }
                        else if (d == 2 && kind != OtlpMetricKind.Gauge) { data.Expect(d, ProtoReader.Varint); temporality = (int)data.ReadVarint(); }
                        else if (d == 3 && kind == OtlpMetricKind.Sum) { data.Expect(d, ProtoReader.Varint); monotonic = data.ReadVarint() != 0; }
                        else data.Skip();
                    }

                    break;
                default: reader.Skip(); break;
            }
        }

        return new Metric(name, description, unit, kind, monotonic, temporality, points);
    }

    private static OtlpDataPoint ReadPoint(ReadOnlySpan<byte> bytes, OtlpMetricKind kind)
    {
        // NumberDataPoint: start = 2, time = 3, as_double = 4, as_int = 6, attributes = 7.
        // HistogramDataPoint: start = 2, time = 3, count = 4, sum = 5, bucket_counts = 6, explicit_bounds = 7, attributes = 9, min = 11, max = 12.
        // ExponentialHistogramDataPoint: attributes = 1, start = 2, time = 3, count = 4, sum = 5, min = 12, max = 13.
        // SummaryDataPoint: start = 2, time = 3, count = 4, sum = 5, attributes = 7.
        var attributesField = kind switch
        {
            OtlpMetricKind.Histogram => 9,
            OtlpMetricKind.ExponentialHistogram => 1,
            _ => 7,
        };
        var (minField, maxField) = kind == OtlpMetricKind.ExponentialHistogram ? (12, 13) : (11, 12);
        var number = kind is OtlpMetricKind.Gauge or OtlpMetricKind.Sum;

        var reader = new ProtoReader(bytes);
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        ulong start = 0, time = 0;
        long? longValue = null;
        double? doubleValue = null, sum = null, min = null, max = null;
        ulong? count = null;
        var buckets = new List<ulong>();
        var bounds = new List<ulong>();
        while (reader.Next(out var field))
        {
            if (field == attributesField) { reader.Expect(field, ProtoReader.LengthDelimited); ReadKeyValue(reader.ReadBytes(), attributes); }
            else if (field == 2) { reader.Expect(field, ProtoReader.Fixed64); start = reader.ReadFixed64(); }
            else if (field == 3) { reader.Expect(field, ProtoReader.Fixed64); time = reader.ReadFixed64(); }
            else if (number && field == 4) { reader.Expect(field, ProtoReader.Fixed64); doubleValue = reader.ReadDouble(); }
            else if (number && field == 6) { reader.Expect(field, ProtoReader.Fixed64); longValue = (long)reader.ReadFixed64(); }
            else if (!number && field == 4) { reader.Expect(field, ProtoReader.Fixed64); count = reader.ReadFixed64(); }
            else if (!number && field == 5) { reader.Expect(field, ProtoReader.Fixed64); sum = reader.ReadDouble(); }
            else if (kind == OtlpMetricKind.Histogram && field == 6) reader.ReadRepeatedFixed64(buckets);
            else if (kind == OtlpMetricKind.Histogram && field == 7) reader.ReadRepeatedFixed64(bounds);
            else if (kind is OtlpMetricKind.Histogram or OtlpMetricKind.ExponentialHistogram && field == minField) { reader.Expect(field, ProtoReader.Fixed64); min = reader.ReadDouble(); }
            else if (kind is OtlpMetricKind.Histogram or OtlpMetricKind.ExponentialHistogram && field == maxField) { reader.Expect(field, ProtoReader.Fixed64); max = reader.ReadDouble(); }
            else reader.Skip();
        }

        return new OtlpDataPoint
        {
            Attributes = attributes,
            StartTime = OtlpValues.FromUnixNanos(start),
            Time = OtlpValues.FromUnixNanos(time),
            LongValue = longValue,
            DoubleValue = doubleValue,
            Count = count,
            Sum = sum,
            Min = min,
            Max = max,
            BucketCounts = buckets,
            ExplicitBounds = bounds.ConvertAll(BitConverter.UInt64BitsToDouble),
        };
    }

    private static OtlpLogRecord ReadLogRecord(ReadOnlySpan<byte> bytes)
    {
        // LogRecord: time = 1, severity_number = 2, severity_text = 3, body = 5, attributes = 6, trace_id = 9, span_id = 10, observed_time = 11.
        var reader = new ProtoReader(bytes);
        ulong time = 0, observed = 0, severity = 0;
        string severityText = "";
        object? body = null;
        ReadOnlySpan<byte> traceId = default, spanId = default;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Next(out var field))
        {
            switch (field)
            {
                case 1: reader.Expect(field, ProtoReader.Fixed64); time = reader.ReadFixed64(); break;
                case 2: reader.Expect(field, ProtoReader.Varint); severity = reader.ReadVarint(); break;
                case 3: reader.Expect(field, ProtoReader.LengthDelimited); severityText = reader.ReadString(); break;
                case 5: reader.Expect(field, ProtoReader.LengthDelimited); body = ReadAnyValue(reader.ReadBytes()); break;
                case 6: reader.Expect(field, ProtoReader.LengthDelimited); ReadKeyValue(reader.ReadBytes(), attributes); break;
                case 9: reader.Expect(field, ProtoReader.LengthDelimited); traceId = reader.ReadBytes(); break;
                case 10: reader.Expect(field, ProtoReader.LengthDelimited); spanId = reader.ReadBytes(); break;
                case 11: reader.Expect(field, ProtoReader.Fixed64); observed = reader.ReadFixed64(); break;
                default: reader.Skip(); break;
            }
        }

        return new OtlpLogRecord
        {
            Body = OtlpValues.Format(body),
            SeverityText = severityText,
            SeverityNumber = (int)severity,
            TraceId = OtlpValues.Id(traceId, 16, "a log record's trace_id", optional: true),
            SpanId = OtlpValues.Id(spanId, 8, "a log record's span_id", optional: true),
            Time = OtlpValues.FromUnixNanos(time != 0 ? time : observed),
            Attributes = attributes,
        };
    }

    private static Dictionary<string, object?> ReadResource(ReadOnlySpan<byte> bytes)
    {
        // Resource: attributes = 1.
        var reader = new ProtoReader(bytes);
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Next(out var field))
        {
            if (field == 1) { reader.Expect(field, ProtoReader.LengthDelimited); ReadKeyValue(reader.ReadBytes(), attributes); }
            else reader.Skip();
        }

        return attributes;
    }

    private static (string Name, string Version) ReadScope(ReadOnlySpan<byte> bytes)
    {
        // InstrumentationScope: name = 1, version = 2.
        var reader = new ProtoReader(bytes);
        string name = "", version = "";
        while (reader.Next(out var field))
        {
            if (field == 1) { reader.Expect(field, ProtoReader.LengthDelimited); name = reader.ReadString(); }
            else if (field == 2) { reader.Expect(field, ProtoReader.LengthDelimited); version = reader.ReadString(); }
            else reader.Skip();
        }

        return (name, version);
    }

    private static void ReadKeyValue(ReadOnlySpan<byte> bytes, Dictionary<string, object?> into)
    {
        // KeyValue: key = 1, value = 2.
        var reader = new ProtoReader(bytes);
        string key = "";
        object? value = null;
        while (reader.Next(out var field))
        {
            if (field == 1) { reader.Expect(field, ProtoReader.LengthDelimited); key = reader.ReadString(); }
            else if (field == 2) { reader.Expect(field, ProtoReader.LengthDelimited); value = ReadAnyValue(reader.ReadBytes()); }
            else reader.Skip();
        }

        into[key] = value;
    }

    private static object? ReadAnyValue(ReadOnlySpan<byte> bytes)
    {
        // AnyValue: string = 1, bool = 2, int = 3, double = 4, array = 5, kvlist = 6, bytes = 7.
        var reader = new ProtoReader(bytes);
        object? value = null;
        while (reader.Next(out var field))
        {
            switch (field)
            {
                case 1: reader.Expect(field, ProtoReader.LengthDelimited); value = reader.ReadString(); break;
                case 2: reader.Expect(field, ProtoReader.Varint); value = reader.ReadVarint() != 0; break;
                case 3: reader.Expect(field, ProtoReader.Varint); value = (long)reader.ReadVarint(); break;
                case 4: reader.Expect(field, ProtoReader.Fixed64); value = reader.ReadDouble(); break;
                case 5:
                    // ArrayValue: values = 1.
                    reader.Expect(field, ProtoReader.LengthDelimited);
                    var array = new ProtoReader(reader.ReadBytes());
                    var items = new List<object?>();
                    while (array.Next(out var a))
                    {
                        if (a == 1) { array.Expect(a, ProtoReader.LengthDelimited); items.Add(ReadAnyValue(array.ReadBytes())); }
                        else array.Skip();
                    }

                    value = items;
                    break;
                case 6:
                    // KeyValueList: values = 1.
                    reader.Expect(field, ProtoReader.LengthDelimited);
                    var list = new ProtoReader(reader.ReadBytes());
                    var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                    while (list.Next(out var k))
                    {
                        if (k == 1) { list.Expect(k, ProtoReader.LengthDelimited); ReadKeyValue(list.ReadBytes(), map); }
                        else list.Skip();
                    }

                    value = map;
                    break;
                case 7: reader.Expect(field, ProtoReader.LengthDelimited); value = reader.ReadBytes().ToArray(); break;
                default: reader.Skip(); break;
            }
        }

        return value;
    }
}
