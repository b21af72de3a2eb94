namespace Portable.Local.Cost;

/// <summary>An always-on container (or instance) the functions are compared with: it costs the same every month, whatever the traffic.</summary>
internal sealed record ContainerPrice
{
    /// <summary>The name to pick it by (<c>Portable:Local:Cost:Container</c>, <c>--container</c>).</summary>
    public required string Name { get; init; }

    /// <summary>What it costs a month.</summary>
    public required double MonthlyUsd { get; init; }

    /// <summary>When the figure was read.</summary>
    public string? Date { get; init; }

    /// <summary>Where the figure was read.</summary>
    public string? Source { get; init; }

    /// <summary>What the figure covers.</summary>
    public string? Note { get; init; }
}
