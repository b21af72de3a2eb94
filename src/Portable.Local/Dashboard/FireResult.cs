namespace Portable.Local.Dashboard;

/// <summary>The answer of <c>POST /_portable/api/schedules/{name}/fire</c>.</summary>
/// <param name="Function">The function fired.</param>
/// <param name="InvocationId">Its invocation id (the invocations list shows it).</param>
/// <param name="Outcome">success or error.</param>
internal sealed record FireResult(string Function, string InvocationId, string Outcome);
