namespace Portable.Hosting;

/// <summary>One function as the catalog lists it.</summary>
/// <param name="Name">The function name.</param>
/// <param name="Trigger">Its trigger and the trigger's parameters.</param>
/// <param name="Input">The input type name, if any.</param>
/// <param name="Output">The output type name, if any.</param>
/// <param name="Handler">The handler class name.</param>
/// <param name="Sends">The queues the function declared it sends to; null when none.</param>
internal sealed record CatalogFunction(string Name, FunctionTrigger Trigger, string? Input, string? Output, string Handler, IReadOnlyList<string>? Sends = null);
