namespace Portable;

/// <summary>The processor architecture a function runs on. One published binary serves every function, so all of an app's functions run on one architecture.</summary>
public enum FunctionArchitecture
{
    /// <summary>64-bit x86 (<c>x86_64</c>, .NET's <c>linux-x64</c>).</summary>
    X64,

    /// <summary>64-bit ARM (<c>arm64</c>, .NET's <c>linux-arm64</c>; AWS Graviton, Azure Cobalt, Google Axion).</summary>
    Arm64,
}
