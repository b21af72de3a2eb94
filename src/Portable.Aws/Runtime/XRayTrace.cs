namespace Portable.Aws.Runtime;

/// <summary>Converts an X-Ray trace header (<c>Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1</c>) to a W3C trace context and back.</summary>
internal static class XRayTrace
{
    /// <summary>The W3C context of an X-Ray header: the root's time and random parts make the trace id, <c>Parent</c> the parent id.</summary>
    /// <param name="header">The header, or null.</param>
    /// <returns>The context, or null when the header is missing or malformed.</returns>
    public static TraceContext? ToTraceContext(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        string? root = null, parent = null;
        var sampled = false;
        foreach (var part in header.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "Root": root = value; break;
                case "Parent": parent = value; break;
                case "Sampled": sampled = value == "1"; break;
            }
        }

        var pieces = root?.Split('-');
        if (pieces is not ["1", { Length: 8 } time, { Length: 24 } random]) return null;
        var traceId = (time + random).ToLowerInvariant();
        var parentId = parent?.ToLowerInvariant() ?? "";
        if (!IsHex(traceId) || !IsHex(parentId) || parentId.Length != 16 || parentId.All(c => c == '0') || traceId.All(c => c == '0')) return null;
        return TraceContext.Create(traceId, parentId, sampled);
    }

    /// <summary>The X-Ray header of a W3C context (the <c>AWSTraceHeader</c> an SQS message carries): the trace id's first 8 hex digits are the root's time part, the other 24 its random part.</summary>
    /// <param name="context">The context.</param>
    /// <returns>The header.</returns>
    public static string FromTraceContext(TraceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return $"Root=1-{context.TraceId[..8]}-{context.TraceId[8..]};Parent={context.ParentId};Sampled={(context.IsSampled ? '1' : '0')}";
    }

    private static bool IsHex(string value) => value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
