namespace Portable.Hosting;

/// <summary>
/// A function's deployment settings: its own Map-call settings over <see cref="FunctionsBuilder.Defaults"/>, within
/// <see cref="FunctionLimits"/>. Every deployment writer honours them; the local host ignores them.
/// </summary>
public sealed class FunctionSettings
{
    internal FunctionSettings(int memoryMb, TimeSpan timeout, int? maxConcurrency, FunctionArchitecture? architecture, FunctionAccess access)
    {
        MemoryMb = memoryMb;
        Timeout = timeout;
        MaxConcurrency = maxConcurrency;
        Architecture = architecture;
        Access = access;
    }

    /// <summary>Memory in MB.</summary>
    public int MemoryMb { get; }

    /// <summary>How long one invocation may run (whole seconds).</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The most instances or concurrent executions; null leaves it to the cloud.</summary>
    public int? MaxConcurrency { get; }

    /// <summary>The declared architecture; null means the one the app is published for.</summary>
    public FunctionArchitecture? Architecture { get; }

    /// <summary>Who may call the function: <see cref="FunctionAccess.Private"/> unless an HTTP function said <see cref="FunctionsBuilder.AllowAnonymous"/>. Always private for other triggers.</summary>
    public FunctionAccess Access { get; }
}
