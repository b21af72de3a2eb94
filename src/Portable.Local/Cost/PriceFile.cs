namespace Portable.Local.Cost;

/// <summary>
/// The shape of <c>prices.json</c> and of a user's override file, read as is: every field may be missing in an override, which
/// changes only what it names. <see cref="PriceList"/> merges and checks them.
/// </summary>
internal sealed class PriceFile
{
    public string? Currency { get; set; }

    public string? PricesDate { get; set; }

    public string? Note { get; set; }

    public string? DefaultContainer { get; set; }

    public List<PlatformEntry>? Platforms { get; set; }

    public List<ContainerEntry>? Containers { get; set; }

    /// <summary>One platform; an override entry with the name of a built-in one changes the fields it has, a new name adds a platform.</summary>
    internal sealed class PlatformEntry
    {
        public string? Name { get; set; }

        public double? RequestUsdPerMillion { get; set; }

        public double? GbSecondUsd { get; set; }

        public double? VcpuSecondUsd { get; set; }

        public double? BillingIncrementMs { get; set; }

        public double? MinimumBilledMs { get; set; }

        public List<MemoryTierEntry>? MemoryTiers { get; set; }

        public double? FreeRequests { get; set; }

        public double? FreeGbSeconds { get; set; }

        public double? FreeVcpuSeconds { get; set; }

        public string? Date { get; set; }

        public string? Source { get; set; }

        public string? OfficialPage { get; set; }

        public string? Note { get; set; }
    }

    /// <summary>One memory size and its vCPU.</summary>
    internal sealed class MemoryTierEntry
    {
        public int? MemoryMb { get; set; }

        public double? Vcpu { get; set; }
    }

    /// <summary>One always-on container; an override entry with a built-in name changes it, a new name adds one.</summary>
    internal sealed class ContainerEntry
    {
        public string? Name { get; set; }

        public double? MonthlyUsd { get; set; }

        public string? Date { get; set; }

        public string? Source { get; set; }

        public string? Note { get; set; }
    }
}
