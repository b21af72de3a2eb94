namespace Portable.Hosting;

/// <summary>One function as the catalog lists it.</summary>
/// <param name="Name">The function name.</param>
/// <param name="Trigger">Its trigger and the trigger's parameters.</param>
/// <param name="Input">The input type name, if any.</param>
/// <param name="Output">The output type name, if any.</param>
/// <param name="Handler">The handler class name.</param>
/// <param name="Sends">The queues the function declared it sends to; null when none.</param>
/// <param name="Settings">Its deployment settings.</param>
/// <param name="Uses">The repositories, queues and topics it touches.</param>
internal sealed record CatalogFunction(string Name, FunctionTrigger Trigger, string? Input, string? Output, string Handler, IReadOnlyList<string>? Sends = null,
    CatalogSettings? Settings = null, CatalogUses? Uses = null);

/// <summary>A function's settings as the catalog lists them.</summary>
/// <param name="MemoryMb">Memory in MB.</param>
/// <param name="TimeoutSeconds">The timeout in seconds.</param>
/// <param name="MaxConcurrency">The concurrency cap; null when the cloud decides.</param>
/// <param name="Architecture"><c>x86_64</c> or <c>arm64</c>; null when it is the published binary's.</param>
/// <param name="Access"><c>private</c> or <c>anonymous</c>, for HTTP functions; null for others.</param>
internal sealed record CatalogSettings(int MemoryMb, int TimeoutSeconds, int? MaxConcurrency, string? Architecture, string? Access)
{
    public static CatalogSettings From(FunctionDefinition function)
    {
        var s = function.Settings;
        return new CatalogSettings(
            s.MemoryMb,
            (int)s.Timeout.TotalSeconds,
            s.MaxConcurrency,
            s.Architecture switch { FunctionArchitecture.X64 => "x86_64", FunctionArchitecture.Arm64 => "arm64", _ => null },
            function.Trigger.Kind == TriggerKind.Http ? (s.Access == FunctionAccess.Anonymous ? "anonymous" : "private") : null);
    }
}

/// <summary>What a function touches, as the catalog lists it.</summary>
/// <param name="Repositories">Repository names it reads and writes.</param>
/// <param name="Queues">Queue names it sends to.</param>
/// <param name="Topics">Topic names it publishes to.</param>
/// <param name="Buckets">Bucket names it reads and writes; null when none.</param>
internal sealed record CatalogUses(IReadOnlyList<string> Repositories, IReadOnlyList<string> Queues, IReadOnlyList<string> Topics, IReadOnlyList<string>? Buckets);
