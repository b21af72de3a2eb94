namespace Portable;

/// <summary>The event a scheduled function (<c>MapSchedule</c>) receives.</summary>
/// <param name="FunctionName">The function the schedule belongs to.</param>
/// <param name="ScheduledTime">The occurrence this invocation is for (UTC).</param>
/// <param name="Cron">The schedule's cron expression.</param>
public sealed record ScheduledEvent(string FunctionName, DateTimeOffset ScheduledTime, string Cron);
