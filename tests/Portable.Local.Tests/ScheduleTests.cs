using Microsoft.Extensions.Time.Testing;

namespace Portable.Local.Tests;

public sealed class ScheduleTests
{
    [Fact]
    public async Task Cron_RunsAtEachOccurrence_InUtc()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 10, 2, 0, TimeSpan.Zero));
        await using var host = await RunningHost.StartAsync(o => o.RunSchedules = true, time: time);

        for (var i = 0; i < 200 && host.Probe.Ticks.Count < 2; i++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(20);
        }

        Assert.True(host.Probe.Ticks.Count >= 2, "The schedule did not run.");
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 5, 0, TimeSpan.Zero), host.Probe.Ticks.First());
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 10, 0, TimeSpan.Zero), host.Probe.Ticks.Skip(1).First());
    }
}
