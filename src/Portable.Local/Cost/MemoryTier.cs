namespace Portable.Local.Cost;

/// <summary>A memory size a platform offers, and the vCPU that comes with it (0 where CPU is not billed on its own).</summary>
/// <param name="MemoryMb">The size in MB.</param>
/// <param name="Vcpu">The vCPUs an instance of that size gets and is billed for.</param>
internal sealed record MemoryTier(int MemoryMb, double Vcpu);
