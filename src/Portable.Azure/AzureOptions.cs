using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Portable.Azure;

/// <summary>
/// How the Azure adapter runs. Read from configuration section <see cref="SectionName"/>; the Functions host's own
/// settings (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, <c>AzureWebJobsStorage</c>) are used where they exist.
/// </summary>
public sealed class AzureOptions
{
    /// <summary>The configuration section: <c>Portable:Azure</c> (in app settings, <c>Portable__Azure__RoutePrefix</c> and so on).</summary>
    public const string SectionName = "Portable:Azure";

    /// <summary>The port on 127.0.0.1 the handler listens on; the Functions host sets <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>. 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>
    /// The name of the setting that holds the storage connection for tables and queues, as in <c>function.json</c>'s
    /// <c>connection</c>. Default <c>AzureWebJobsStorage</c>. The setting holds a connection string, or identity-based settings
    /// (<c>NAME__accountName</c>, or <c>NAME__tableServiceUri</c> and <c>NAME__queueServiceUri</c>) used with <c>DefaultAzureCredential</c>.
    /// </summary>
    public string StorageConnection { get; set; } = "AzureWebJobsStorage";

    /// <summary>
    /// The HTTP route prefix of <c>host.json</c> (<c>extensions.http.routePrefix</c>). Default empty, so that a route is the same URL
    /// on every cloud (<c>/orders</c>, not the Functions default <c>/api/orders</c>).
    /// </summary>
    public string RoutePrefix { get; set; } = "";

    /// <summary>Whether <c>host.json</c> asks the host to forward HTTP requests as they are (<c>enableForwardingHttpRequest</c>). Default true.</summary>
    public bool ForwardHttpRequests { get; set; } = true;

    /// <summary>The largest request the handler accepts; larger ones answer 413. Default 100 MiB, the Functions host's own limit.</summary>
    public long MaxRequestBodyBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// Where each topic is published: <c>Portable:Azure:Topics:{topic}:Endpoint</c> (an Event Grid topic endpoint) and
    /// <c>Portable:Azure:Topics:{topic}:Key</c> (its access key; without one, <c>DefaultAzureCredential</c> is used).
    /// A topic name's <c>-</c> may be written <c>_</c>, since app setting names cannot hold <c>-</c>.
    /// </summary>
    public IDictionary<string, AzureTopicOptions> Topics { get; } = new Dictionary<string, AzureTopicOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Event functions fed by a classic blob trigger instead of an Event Grid subscription: function name to blob path, such as
    /// <c>uploads/{name}</c> (<c>Portable:Azure:BlobTriggers:{Function}</c>). Without an entry an event function gets an
    /// <c>eventGridTrigger</c>, the source Azure recommends for blob events (and the only one on Flex Consumption).
    /// </summary>
    public IDictionary<string, string> BlobTriggers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads the options from configuration.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The options, validated.</returns>
    /// <exception cref="PortableConfigurationException">A value is malformed; the message names the setting.</exception>
    public static AzureOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var options = new AzureOptions();
        options.Port = (int)(ReadInt(configuration["FUNCTIONS_CUSTOMHANDLER_PORT"], "FUNCTIONS_CUSTOMHANDLER_PORT") ?? ReadInt(section["Port"], $"{SectionName}:Port") ?? 0);
        options.StorageConnection = section["StorageConnection"] is { Length: > 0 } connection ? connection : options.StorageConnection;
        options.RoutePrefix = section["RoutePrefix"] ?? options.RoutePrefix;
        options.ForwardHttpRequests = section["ForwardHttpRequests"] is { } forward
            ? bool.TryParse(forward, out var f) ? f : throw new PortableConfigurationException($"{SectionName}:ForwardHttpRequests is '{forward}'; write true or false.")
            : options.ForwardHttpRequests;
        options.MaxRequestBodyBytes = ReadInt(section["MaxRequestBodyBytes"], $"{SectionName}:MaxRequestBodyBytes") ?? options.MaxRequestBodyBytes;
        foreach (var topic in section.GetSection("Topics").GetChildren())
        {
            options.Topics[topic.Key] = new AzureTopicOptions { Endpoint = topic["Endpoint"], Key = topic["Key"] };
        }

        foreach (var blob in section.GetSection("BlobTriggers").GetChildren())
        {
            if (blob.Value is { Length: > 0 } path) options.BlobTriggers[blob.Key] = path;
        }

        options.Validate();
        return options;
    }

    /// <summary>Checks every value is in range.</summary>
    /// <exception cref="PortableConfigurationException">A value is out of range; the message names the setting.</exception>
    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new PortableConfigurationException($"FUNCTIONS_CUSTOMHANDLER_PORT ({SectionName}:Port) must be from 0 to 65535.");
        if (string.IsNullOrWhiteSpace(StorageConnection)) throw new PortableConfigurationException($"{SectionName}:StorageConnection must name a setting, such as AzureWebJobsStorage.");
        if (MaxRequestBodyBytes <= 0) throw new PortableConfigurationException($"{SectionName}:MaxRequestBodyBytes must be positive.");
        if (RoutePrefix.Contains('/', StringComparison.Ordinal) && RoutePrefix.Trim('/').Contains('/', StringComparison.Ordinal))
            throw new PortableConfigurationException($"{SectionName}:RoutePrefix is '{RoutePrefix}'; write one path segment such as api, or an empty value.");
    }

    /// <summary>The publishing settings of a topic, by its name or the name with <c>-</c> written <c>_</c>.</summary>
    /// <param name="topic">The topic name.</param>
    /// <returns>The settings, or null when none are configured.</returns>
    public AzureTopicOptions? FindTopic(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return Topics.TryGetValue(topic, out var exact) ? exact
            : Topics.TryGetValue(topic.Replace('-', '_'), out var underscored) ? underscored
            : null;
    }

    internal string NormalizedRoutePrefix => RoutePrefix.Trim('/');

    private static long? ReadInt(string? value, string name)
        => value is null or "" ? null
            : long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
            : throw new PortableConfigurationException($"{name} is '{value}', which is not a whole number.");
}
