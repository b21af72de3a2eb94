namespace Portable.Local.Dashboard;

/// <summary>A schedule function and its next occurrences (UTC), as <c>GET /_portable/api/schedules</c> lists it.</summary>
/// <param name="Function">The function name.</param>
/// <param name="Cron">The cron expression.</param>
/// <param name="Next">The next occurrences, soonest first.</param>
/// <param name="Running">Whether the host runs the schedules (<c>Portable:Local:RunSchedules</c>); when not, only "fire now" runs them.</param>
internal sealed record ScheduleView(string Function, string Cron, IReadOnlyList<DateTimeOffset> Next, bool Running);
