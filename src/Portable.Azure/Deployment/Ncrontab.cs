namespace Portable.Azure.Deployment;

/// <summary>Converts Portable's five-field cron (minute hour day month weekday, UTC) to the six-field NCRONTAB of the timer trigger.</summary>
internal static class Ncrontab
{
    /// <summary>Prepends the seconds field (<c>0</c>) and writes Sunday as <c>0</c>, since NCRONTAB weekdays run from 0 to 6.</summary>
    /// <param name="cron">Five fields.</param>
    /// <returns>Six fields, such as <c>0 */5 * * * *</c> for <c>*/5 * * * *</c>.</returns>
    public static string FromCron(string cron)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5) throw new PortableConfigurationException($"The schedule '{cron}' has {fields.Length} fields; Portable schedules have five.");
        fields[4] = string.Join(',', fields[4].Split(',').Select(Weekday));
        return "0 " + string.Join(' ', fields);
    }

    private static string Weekday(string part)
    {
        if (part == "7") return "0";
        if (part.EndsWith("-7", StringComparison.Ordinal)) return part[..^2] + "-6,0";
        return part;
    }
}
