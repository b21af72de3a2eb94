using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Portable.OpenTelemetry;

/// <summary>Which aggregation temporality the metrics use (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE).</summary>
internal enum TemporalityPreference
{
    Cumulative,
    Delta,
    LowMemory,
}

/// <summary>Where and how one signal is sent.</summary>
internal sealed record OtlpSignalSettings(Uri Endpoint, IReadOnlyList<KeyValuePair<string, string>> Headers, TimeSpan Timeout, bool Gzip);

/// <summary>
/// The OpenTelemetry SDK environment variables this exporter honours, read from configuration (which holds the environment) as
/// the specification defines them. A value it cannot use throws <see cref="PortableConfigurationException"/> naming the setting, so
/// the start fails with the fix rather than exporting nothing.
/// </summary>
internal sealed record OtlpSettings
{
    public const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Null when neither the base endpoint nor the traces endpoint is set: no spans are exported.</summary>
    public required OtlpSignalSettings? Traces { get; init; }

    /// <summary>Null when neither the base endpoint nor the metrics endpoint is set: no metrics are exported.</summary>
    public required OtlpSignalSettings? Metrics { get; init; }
    public required IReadOnlyList<KeyValuePair<string, object>> Resource { get; init; }
    public required Sampler Sampler { get; init; }
    public TimeSpan ScheduleDelay { get; init; } = TimeSpan.FromMilliseconds(5000);
    public int MaxQueueSize { get; init; } = 2048;
    public int MaxExportBatchSize { get; init; } = 512;
    public TimeSpan ExportTimeout { get; init; } = TimeSpan.FromMilliseconds(30000);
    public TimeSpan MetricInterval { get; init; } = TimeSpan.FromMilliseconds(60000);
    public TimeSpan MetricTimeout { get; init; } = TimeSpan.FromMilliseconds(30000);
    public TemporalityPreference Temporality { get; init; }

    /// <summary>True when export is on: an endpoint is set and the SDK is not disabled.</summary>
    public static bool IsEnabled(IConfiguration configuration)
    {
        var disabled = configuration["OTEL_SDK_DISABLED"];
        if (string.Equals(disabled?.Trim(), "true", StringComparison.OrdinalIgnoreCase)) return false;
        return !string.IsNullOrWhiteSpace(configuration[Endpoint])
            || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"])
            || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]);
    }

    public static OtlpSettings Read(IConfiguration configuration, string defaultServiceName, string sdkVersion)
        => Read(configuration, defaultServiceName, sdkVersion, OtlpHttps.IsSupported);

    /// <param name="configuration">The settings.</param>
    /// <param name="defaultServiceName">service.name when none is set.</param>
    /// <param name="sdkVersion">telemetry.sdk.version.</param>
    /// <param name="https">Whether this build may send to https:// collectors (<see cref="OtlpHttps.IsSupported"/>).</param>
    public static OtlpSettings Read(IConfiguration configuration, string defaultServiceName, string sdkVersion, bool https)
    {
        var protocol = Value(configuration, "OTEL_EXPORTER_OTLP_PROTOCOL");
        CheckProtocol("OTEL_EXPORTER_OTLP_PROTOCOL", protocol);
        var baseEndpoint = Value(configuration, Endpoint);
        Uri? baseUrl = baseEndpoint is null ? null : Url(Endpoint, baseEndpoint, https);
        var headers = Headers(configuration, "OTEL_EXPORTER_OTLP_HEADERS", []);
        var timeout = Milliseconds(configuration, "OTEL_EXPORTER_OTLP_TIMEOUT", 10000, allowZero: false);
        var gzip = Compression(configuration, "OTEL_EXPORTER_OTLP_COMPRESSION", false);

        OtlpSignalSettings? Signal(string signal, string path)
        {
            var name = "OTEL_EXPORTER_OTLP_" + signal + "_";
            CheckProtocol(name + "PROTOCOL", Value(configuration, name + "PROTOCOL"));
            var own = Value(configuration, name + "ENDPOINT");
            var endpoint = own is not null ? Url(name + "ENDPOINT", own, https)
                : baseUrl is not null ? new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + path)
                : null;
            if (endpoint is null) return null;
            return new OtlpSignalSettings(
                endpoint,
                Headers(configuration, name + "HEADERS", headers),
                Milliseconds(configuration, name + "TIMEOUT", (int)timeout.TotalMilliseconds, allowZero: false),
                Compression(configuration, name + "COMPRESSION", gzip));
        }

        var traces = Signal("TRACES", "v1/traces");
        var metrics = Signal("METRICS", "v1/metrics");
        var maxQueue = Integer(configuration, "OTEL_BSP_MAX_QUEUE_SIZE", 2048, 1);
        var maxBatch = Integer(configuration, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512, 1);
        if (maxBatch > maxQueue)
            throw new PortableConfigurationException($"OTEL_BSP_MAX_EXPORT_BATCH_SIZE is {maxBatch}, more than OTEL_BSP_MAX_QUEUE_SIZE ({maxQueue}): a batch cannot exceed the queue; lower it or raise the queue size.");
        return new OtlpSettings
        {
            Traces = traces,
            Metrics = metrics,
            Resource = ResourceAttributes(configuration, defaultServiceName, sdkVersion),
            Sampler = Sampler.Read(Value(configuration, "OTEL_TRACES_SAMPLER"), Value(configuration, "OTEL_TRACES_SAMPLER_ARG")),
            ScheduleDelay = Milliseconds(configuration, "OTEL_BSP_SCHEDULE_DELAY", 5000, allowZero: false),
            MaxQueueSize = maxQueue,
            MaxExportBatchSize = maxBatch,
            ExportTimeout = Milliseconds(configuration, "OTEL_BSP_EXPORT_TIMEOUT", 30000, allowZero: false),
            MetricInterval = Milliseconds(configuration, "OTEL_METRIC_EXPORT_INTERVAL", 60000, allowZero: false),
            MetricTimeout = Milliseconds(configuration, "OTEL_METRIC_EXPORT_TIMEOUT", 30000, allowZero: false),
            Temporality = Value(configuration, "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE")?.ToLowerInvariant() switch
            {
                null or "cumulative" => TemporalityPreference.Cumulative,
                "delta" => TemporalityPreference.Delta,
                "lowmemory" => TemporalityPreference.LowMemory,
                var other => throw new PortableConfigurationException($"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE is '{other}': use cumulative (the default), delta or lowmemory."),
            },
        };
    }

    private static string? Value(IConfiguration configuration, string name)
    {
        var value = configuration[name]?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static void CheckProtocol(string name, string? protocol)
    {
        if (protocol is null or "http/protobuf") return;
        throw new PortableConfigurationException(
            $"{name} is '{protocol}': Portable exports OTLP over http/protobuf only, which every OpenTelemetry collector takes on port 4318 (set {name}=http/protobuf or remove it, and point the endpoint at port 4318).");
    }

    private static Uri Url(string name, string value, bool https)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new PortableConfigurationException($"{name} is '{value}': it must be an absolute http or https address, such as http://localhost:4318.");
        if (url.Scheme == "https" && !https) throw new PortableConfigurationException(NoHttps(name, value));
        return url;
    }

    /// <summary>Why an https endpoint cannot be used in a build with the <see cref="OtlpHttps"/> switch off, and how to turn it on.</summary>
    internal static string NoHttps(string name, string value) =>
        $"{name} is '{value}', an https address, but this build has no TLS for the OTLP exporter (the feature switch {OtlpHttps.Switch} is off, "
        + "as in a local build by default): use an http:// collector address, such as http://localhost:4318, or set "
        + "<PortableOtlpHttps>true</PortableOtlpHttps> in the app's project file and build again.";

    private static TimeSpan Milliseconds(IConfiguration configuration, string name, int fallback, bool allowZero)
    {
        var value = Value(configuration, name);
        if (value is null) return TimeSpan.FromMilliseconds(fallback);
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && (ms > 0 || allowZero && ms == 0)) return TimeSpan.FromMilliseconds(ms);
        throw new PortableConfigurationException($"{name} is '{value}': it must be a whole number of milliseconds above 0, such as {fallback}.");
    }

    private static int Integer(IConfiguration configuration, string name, int fallback, int minimum)
    {
        var value = Value(configuration, name);
        if (value is null) return fallback;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum) return number;
        throw new PortableConfigurationException($"{name} is '{value}': it must be a whole number of at least {minimum}, such as {fallback}.");
    }

    private static bool Compression(IConfiguration configuration, string name, bool fallback) => Value(configuration, name)?.ToLowerInvariant() switch
    {
        null => fallback,
        "gzip" => true,
        "none" => false,
        var other => throw new PortableConfigurationException($"{name} is '{other}': use gzip or none."),
    };

    private static IReadOnlyList<KeyValuePair<string, string>> Headers(IConfiguration configuration, string name, IReadOnlyList<KeyValuePair<string, string>> fallback)
    {
        var value = Value(configuration, name);
        if (value is null) return fallback;
        var pairs = Pairs(name, value, "api-key=secret,tenant=a%20b");
        foreach (var pair in pairs)
        {
            // A header goes on the wire as it is: a line break or another control character would end it early.
            if (pair.Key.Any(char.IsControl) || pair.Value.Any(char.IsControl))
                throw new PortableConfigurationException($"{name} has the header '{pair.Key}', whose name or value holds a control character (a line break, once percent-decoded): remove it.");
        }

        return pairs;
    }

    /// <summary>Parses the specification's <c>key1=value1,key2=value2</c> list, values percent-decoded (W3C Baggage octets).</summary>
    internal static List<KeyValuePair<string, string>> Pairs(string name, string value, string example)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? item[..equals].Trim() : "";
            if (key.Length == 0)
                throw new PortableConfigurationException($"{name} has '{item}', which is not key=value: write a comma-separated list such as {example}.");
            string decoded;
            try
            {
                decoded = Uri.UnescapeDataString(item[(equals + 1)..].Trim());
            }
            catch (UriFormatException e)
            {
                throw new PortableConfigurationException($"{name} has '{item}', whose value is not percent-encoded correctly ({e.Message}).");
            }

            pairs.Add(new(key, decoded));
        }

        return pairs;
    }

    private static List<KeyValuePair<string, object>> ResourceAttributes(IConfiguration configuration, string defaultServiceName, string sdkVersion)
    {
        var attributes = new List<KeyValuePair<string, object>>();
        var fromEnvironment = Value(configuration, "OTEL_RESOURCE_ATTRIBUTES") is { } raw ? Pairs("OTEL_RESOURCE_ATTRIBUTES", raw, "deployment.environment.name=prod,team=orders") : [];
        var serviceName = Value(configuration, "OTEL_SERVICE_NAME")
            ?? fromEnvironment.LastOrDefault(p => p.Key == "service.name").Value
            ?? defaultServiceName;
        attributes.Add(new("service.name", serviceName));
        foreach (var pair in fromEnvironment)
        {
            if (pair.Key is "service.name") continue;
            attributes.RemoveAll(a => a.Key == pair.Key);
            attributes.Add(new(pair.Key, pair.Value));
        }

        attributes.Add(new("telemetry.sdk.name", "portable"));
        attributes.Add(new("telemetry.sdk.language", "dotnet"));
        attributes.Add(new("telemetry.sdk.version", sdkVersion));
        return attributes;
    }
}
