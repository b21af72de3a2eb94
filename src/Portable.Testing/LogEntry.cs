using Microsoft.Extensions.Logging;

namespace Portable.Testing;

/// <summary>One log entry written while a <see cref="PortableTestHost"/> ran.</summary>
/// <param name="Level">The level.</param>
/// <param name="Category">The logger's category, such as <c>Portable.Functions.PlaceOrder</c> for a function's own <see cref="FunctionContext.Logger"/>.</param>
/// <param name="EventId">The event id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with the entry, if any.</param>
/// <param name="Values">The message's named values (<c>{FunctionName}</c> and such), without the template's <c>{OriginalFormat}</c>.</param>
/// <param name="Scope">The values of the scopes the entry was written in, outermost first; an invocation's scope adds <c>FunctionName</c>, <c>InvocationId</c> and <c>Platform</c>.</param>
public sealed record LogEntry(
    LogLevel Level,
    string Category,
    EventId EventId,
    string Message,
    Exception? Exception,
    IReadOnlyDictionary<string, object?> Values,
    IReadOnlyDictionary<string, object?> Scope)
{
    /// <summary>The <c>InvocationId</c> of the invocation the entry was written in, from its scope; null outside an invocation.</summary>
    public string? InvocationId => Scope.TryGetValue("InvocationId", out var id) ? id?.ToString() : null;

    /// <summary>The <c>FunctionName</c> of the invocation the entry was written in, from its scope; null outside an invocation.</summary>
    public string? FunctionName => Scope.TryGetValue("FunctionName", out var name) ? name?.ToString() : null;

    /// <inheritdoc />
    public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : " " + Exception.GetType().Name + ": " + Exception.Message)}";
}
