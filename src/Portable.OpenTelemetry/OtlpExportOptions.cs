namespace Portable;

/// <summary>
/// What <see cref="OpenTelemetryExport.AddOpenTelemetryExport"/> exports: the activity sources whose spans and the meters whose
/// instruments are sent. By default the sources <c>Portable</c> (every invocation, send and publish) and <c>System.Net.Http</c> (the
/// functions' HttpClient calls), and the meters of the same names. A name may end with <c>*</c> to take every name with that prefix.
/// </summary>
public sealed class OtlpExportOptions
{
    internal List<string> Sources { get; } = ["Portable", "System.Net.Http"];

    internal List<string> Meters { get; } = ["Portable", "System.Net.Http"];

    /// <summary>Exports the spans of more activity sources, such as <c>MyCompany.Billing</c> or <c>MyCompany.*</c>.</summary>
    /// <param name="names">The source names; a trailing <c>*</c> matches any name with that prefix.</param>
    /// <returns>These options.</returns>
    public OtlpExportOptions AddSource(params string[] names) => Add(Sources, names);

    /// <summary>Exports the instruments of more meters, such as the app's business meter <c>Orders</c>.</summary>
    /// <param name="names">The meter names; a trailing <c>*</c> matches any name with that prefix.</param>
    /// <returns>These options.</returns>
    public OtlpExportOptions AddMeter(params string[] names) => Add(Meters, names);

    private OtlpExportOptions Add(List<string> list, string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(names));
            if (!list.Contains(name, StringComparer.OrdinalIgnoreCase)) list.Add(name);
        }

        return this;
    }
}
