using System.Globalization;

namespace Portable.Gcp.Http;

/// <summary>The trace context of a request: W3C <c>traceparent</c>, else Google's <c>X-Cloud-Trace-Context: TRACE/SPAN;o=1</c>, else a new root.</summary>
internal static class GcpTrace
{
    public static TraceContext FromHeaders(HttpValues headers)
        => FromHeaders(headers["traceparent"], headers["tracestate"], headers["X-Cloud-Trace-Context"]);

    public static TraceContext FromHeaders(string? traceParent, string? traceState, string? cloudTrace)
    {
        if (TraceContext.TryParse(traceParent, traceState, out var w3c)) return w3c;
        return TryParseCloudTrace(cloudTrace, out var google) ? google : TraceContext.NewRoot();
    }

    public static bool TryParseCloudTrace(string? header, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TraceContext? context)
    {
        context = null;
        if (string.IsNullOrWhiteSpace(header)) return false;
        var slash = header.IndexOf('/', StringComparison.Ordinal);
        var traceId = (slash < 0 ? header.Split(';')[0] : header[..slash]).Trim().ToLowerInvariant();
        if (traceId.Length != 32 || !traceId.All(char.IsAsciiHexDigitLower) || traceId.All(c => c == '0')) return false;
        var rest = slash < 0 ? "" : header[(slash + 1)..];
        var semicolon = rest.IndexOf(';', StringComparison.Ordinal);
        var spanText = semicolon < 0 ? rest : rest[..semicolon];
        var sampled = rest.Contains("o=1", StringComparison.Ordinal);
        var span = ulong.TryParse(spanText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s != 0
            ? s.ToString("x16", CultureInfo.InvariantCulture)
            : TraceContext.NewRoot().ParentId;
        context = TraceContext.Create(traceId, span, sampled);
        return true;
    }
}
