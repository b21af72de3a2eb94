namespace Portable.Gcp.Deployment;

// TEMPORARY stand-in for Portable.Hosting.DeploymentReport until the lead's "Secrets:" commit lands; deleted at the rebase.
internal sealed class DeploymentReport(string cloud)
{
    public List<(bool Warning, string Subject, string Text)> Entries { get; } = [];

    public string Cloud { get; } = cloud;

    public void CannotHonour(string subject, string text) => Entries.Add((true, subject, text));

    public void Note(string subject, string text) => Entries.Add((false, subject, text));

    public async Task WriteAsync(TextWriter writer, CancellationToken cancellationToken)
    {
        foreach (var (warning, subject, text) in Entries)
        {
            await writer.WriteLineAsync(warning ? $"Portable : warning PORTABLE001: {Cloud}: {subject}: {text}" : $"Portable: {Cloud}: {subject}: {text}").ConfigureAwait(false);
        }
    }
}
