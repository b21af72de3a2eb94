namespace Portable.Hosting;

/// <summary>
/// The per-function settings every cloud accepts: the narrowest of AWS Lambda, Google Cloud Run functions and Azure Functions,
/// so a setting that passes here deploys everywhere. <see cref="FunctionsBuilder"/> and <see cref="FunctionDefaults"/> check them.
/// </summary>
/// <remarks>
/// Memory: Lambda's range (Cloud Run takes every value in it; Azure Flex Consumption runs the smallest instance size that fits).
/// Timeout: whole seconds, at most Lambda's 15 minutes, and at most 30 seconds for HTTP functions, since API Gateway's HTTP API
/// answers 503 after 30 seconds whatever the function's own limit. Concurrency: the default account or quota ceiling on every cloud.
/// </remarks>
public static class FunctionLimits
{
    /// <summary>The least memory a function may have, in MB.</summary>
    public const int MinMemoryMb = 128;

    /// <summary>The most memory a function may have, in MB.</summary>
    public const int MaxMemoryMb = 10_240;

    /// <summary>The memory a function has unless it or <see cref="FunctionDefaults"/> says otherwise, in MB.</summary>
    public const int DefaultMemoryMb = 256;

    /// <summary>The longest timeout of a function that is not HTTP, in seconds.</summary>
    public const int MaxTimeoutSeconds = 900;

    /// <summary>The longest timeout of an HTTP function, in seconds.</summary>
    public const int MaxHttpTimeoutSeconds = 30;

    /// <summary>The timeout of a function unless it or <see cref="FunctionDefaults"/> says otherwise, in seconds.</summary>
    public const int DefaultTimeoutSeconds = 30;

    /// <summary>The largest maximum concurrency (instances or concurrent executions) a function may declare.</summary>
    public const int MaxConcurrency = 1_000;

    internal static int CheckMemory(int megabytes, string who)
        => megabytes is >= MinMemoryMb and <= MaxMemoryMb
            ? megabytes
            : throw new PortableConfigurationException(
                $"{who}: memory {megabytes} MB is outside the portable range {MinMemoryMb}-{MaxMemoryMb} MB (AWS Lambda's, which every cloud can run).");

    internal static TimeSpan CheckTimeout(TimeSpan timeout, string who, bool http)
    {
        var max = http ? MaxHttpTimeoutSeconds : MaxTimeoutSeconds;
        if (timeout <= TimeSpan.Zero || timeout.Ticks % TimeSpan.TicksPerSecond != 0 || timeout.TotalSeconds > max)
        {
            throw new PortableConfigurationException(
                $"{who}: timeout {timeout} is not portable. Use whole seconds from 1 to {max}" +
                (http ? " for an HTTP function (API Gateway's HTTP API cuts a request at 30 s)." : " (AWS Lambda's limit, the lowest of the clouds)."));
        }

        return timeout;
    }

    internal static int CheckConcurrency(int instances, string who)
        => instances is >= 1 and <= MaxConcurrency
            ? instances
            : throw new PortableConfigurationException(
                $"{who}: maximum concurrency {instances} is outside 1-{MaxConcurrency}, the default ceiling of every cloud's account or quota.");

    internal static FunctionArchitecture CheckArchitecture(FunctionArchitecture architecture, string who)
        => Enum.IsDefined(architecture)
            ? architecture
            : throw new PortableConfigurationException($"{who}: architecture {(int)architecture} is neither X64 nor Arm64.");
}
