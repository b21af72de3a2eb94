namespace Portable.Hosting;

/// <summary>
/// The settings every function has unless its Map call says otherwise (<see cref="FunctionsBuilder.Defaults"/>). Each setter
/// checks the portable limits (<see cref="FunctionLimits"/>) and throws <see cref="PortableConfigurationException"/> outside them.
/// </summary>
public sealed class FunctionDefaults
{
    private int _memoryMb = FunctionLimits.DefaultMemoryMb;
    private TimeSpan _timeout = TimeSpan.FromSeconds(FunctionLimits.DefaultTimeoutSeconds);
    private int? _maxConcurrency;
    private FunctionArchitecture? _architecture;

    internal FunctionDefaults()
    {
    }

    /// <summary>Memory in MB, from 128 to 10240; 256 unless set.</summary>
    public int MemoryMb
    {
        get => _memoryMb;
        set => _memoryMb = FunctionLimits.CheckMemory(value, "Functions.Defaults.MemoryMb");
    }

    /// <summary>How long one invocation may run: whole seconds, at most 900 (30 for HTTP functions, which fail at build if they inherit more); 30 s unless set.</summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        set => _timeout = FunctionLimits.CheckTimeout(value, "Functions.Defaults.Timeout", http: false);
    }

    /// <summary>The most instances (or concurrent executions) of each function, from 1 to 1000; null (unless set) leaves it to the cloud.</summary>
    public int? MaxConcurrency
    {
        get => _maxConcurrency;
        set => _maxConcurrency = value is { } v ? FunctionLimits.CheckConcurrency(v, "Functions.Defaults.MaxConcurrency") : null;
    }

    /// <summary>The architecture; null (unless set) means the one the app is published for (<c>-r linux-x64</c> or <c>-r linux-arm64</c>).</summary>
    /// <remarks>A deployment writer fails when a declared architecture differs from the published binary's, naming the <c>-r</c> to publish with.</remarks>
    public FunctionArchitecture? Architecture
    {
        get => _architecture;
        set => _architecture = value is { } v ? FunctionLimits.CheckArchitecture(v, "Functions.Defaults.Architecture") : null;
    }
}
