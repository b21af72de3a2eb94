using Microsoft.Extensions.Configuration;

namespace Portable.Local;

/// <summary>How the local host runs. Read from configuration section <see cref="SectionName"/>, with the <c>PORT</c> and <c>PORTABLE_DATA_DIR</c> variables taking precedence.</summary>
public sealed class LocalOptions
{
    /// <summary>The configuration section: <c>Portable:Local</c> (in variables, <c>Portable__Local__Port</c> and so on).</summary>
    public const string SectionName = "Portable:Local";

    /// <summary>The port on 127.0.0.1; 0 picks a free one. Default 8080.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>The folder for the SQLite database that holds queues and documents. Default <c>.portable</c> in the working directory.</summary>
    public string DataDirectory { get; set; } = ".portable";

    /// <summary>Keep queues and documents in memory only (tests); nothing survives the process.</summary>
    public bool InMemory { get; set; }

    /// <summary>The largest request body accepted; larger ones answer 413. Default 1 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The largest object uploaded through the local host (<c>PUT /_portable/buckets/{bucket}/objects/{name}</c>, signed URLs);
    /// larger ones answer 413. Object uploads are streamed to disk, so <see cref="MaxRequestBodyBytes"/> does not apply. Default 5 GiB.
    /// </summary>
    public long MaxObjectUploadBytes { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>How long a delivered message stays invisible before it is delivered again if not acknowledged. Default 30 s.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many deliveries a message gets before it goes to the dead-letter queue. Default 5.</summary>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>The delay before the first retry; each later retry doubles it. Default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between retries. Default 5 min.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many messages one queue function handles at once. Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>How often an idle queue is checked for messages sent by another process. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long deduplication ids are remembered. Default 10 min.</summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Run the cron schedules. Default true; tests fire schedules by hand.</summary>
    public bool RunSchedules { get; set; } = true;

    /// <summary>
    /// Serve the dashboard at <c>/_portable/</c> and keep the most recent spans for it. Default true; false leaves only the admin
    /// API (and no activity listener).
    /// </summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>
    /// Host names, besides the loopback ones (<c>localhost</c>, <c>*.localhost</c>, <c>127.x.x.x</c>, <c>[::1]</c>), that requests to
    /// the dashboard and the admin API under <c>/_portable/</c> may be addressed to: the name a port forward gives the host (a dev
    /// container or a remote workspace). Anything else is refused with 403, so a web page cannot reach the admin API by pointing its
    /// own name at 127.0.0.1 (DNS rebinding). Separated by <c>;</c> in configuration. Default none.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Reads the options from configuration and the environment, then validates them.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The options.</returns>
    /// <exception cref="PortableConfigurationException">A value is malformed or out of range; the message names the setting.</exception>
    public static LocalOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var options = new LocalOptions();
        options.Port = (int)(ReadInt(configuration["PORT"], "PORT") ?? ReadInt(section["Port"], $"{SectionName}:Port") ?? options.Port);
        options.DataDirectory = configuration["PORTABLE_DATA_DIR"] is { Length: > 0 } dir ? dir : section["DataDirectory"] ?? options.DataDirectory;
        options.InMemory = ReadBool(section["InMemory"], $"{SectionName}:InMemory") ?? options.InMemory;
        options.MaxRequestBodyBytes = ReadInt(section["MaxRequestBodyBytes"], $"{SectionName}:MaxRequestBodyBytes") ?? options.MaxRequestBodyBytes;
        options.MaxObjectUploadBytes = ReadInt(section["MaxObjectUploadBytes"], $"{SectionName}:MaxObjectUploadBytes") ?? options.MaxObjectUploadBytes;
        options.VisibilityTimeout = ReadTime(section["VisibilityTimeout"], $"{SectionName}:VisibilityTimeout") ?? options.VisibilityTimeout;
        options.MaxDeliveryAttempts = (int)(ReadInt(section["MaxDeliveryAttempts"], $"{SectionName}:MaxDeliveryAttempts") ?? options.MaxDeliveryAttempts);
        options.RetryBaseDelay = ReadTime(section["RetryBaseDelay"], $"{SectionName}:RetryBaseDelay") ?? options.RetryBaseDelay;
        options.RetryMaxDelay = ReadTime(section["RetryMaxDelay"], $"{SectionName}:RetryMaxDelay") ?? options.RetryMaxDelay;
        options.MaxConcurrency = (int)(ReadInt(section["MaxConcurrency"], $"{SectionName}:MaxConcurrency") ?? options.MaxConcurrency);
        options.PollInterval = ReadTime(section["PollInterval"], $"{SectionName}:PollInterval") ?? options.PollInterval;
        options.RunSchedules = ReadBool(section["RunSchedules"], $"{SectionName}:RunSchedules") ?? options.RunSchedules;
        options.Dashboard = ReadBool(section["Dashboard"], $"{SectionName}:Dashboard") ?? options.Dashboard;
        foreach (var host in (section["AllowedHosts"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options.AllowedHosts.Add(host);
        }

        options.Validate();
        return options;
    }

    /// <summary>Checks every value is in range.</summary>
    /// <exception cref="PortableConfigurationException">A value is out of range; the message names the setting.</exception>
    public void Validate()
    {
        Require(Port is >= 0 and <= 65535, "Port", "from 0 to 65535");
        Require(InMemory || !string.IsNullOrWhiteSpace(DataDirectory), "DataDirectory", "a folder path (or set InMemory)");
        Require(MaxRequestBodyBytes > 0, "MaxRequestBodyBytes", "positive");
        Require(MaxObjectUploadBytes > 0, "MaxObjectUploadBytes", "positive");
        Require(VisibilityTimeout > TimeSpan.Zero, "VisibilityTimeout", "positive");
        Require(MaxDeliveryAttempts >= 1, "MaxDeliveryAttempts", "at least 1");
        Require(RetryBaseDelay >= TimeSpan.Zero && RetryMaxDelay >= RetryBaseDelay, "RetryMaxDelay", "at least RetryBaseDelay");
        Require(MaxConcurrency >= 1, "MaxConcurrency", "at least 1");
        Require(PollInterval > TimeSpan.Zero, "PollInterval", "positive");
    }

    private static void Require(bool ok, string name, string rule)
    {
        if (!ok) throw new PortableConfigurationException($"{SectionName}:{name} must be {rule}.");
    }

    private static long? ReadInt(string? value, string name)
        => value is null ? null
            : long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
            : throw new PortableConfigurationException($"{name} is '{value}', which is not a whole number.");

    private static bool? ReadBool(string? value, string name)
        => value is null ? null
            : bool.TryParse(value, out var b) ? b
            : throw new PortableConfigurationException($"{name} is '{value}'; write true or false.");

    private static TimeSpan? ReadTime(string? value, string name)
        => value is null ? null
            : TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t
            : throw new PortableConfigurationException($"{name} is '{value}', which is not a time span such as 00:00:30.");
}
