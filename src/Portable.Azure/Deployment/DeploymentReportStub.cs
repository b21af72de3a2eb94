// TEMPORARY: stands in for Portable.Hosting.DeploymentReport until the lead's "Secrets:" commit lands in main; deleted on rebase.
namespace Portable.Hosting;

internal sealed class DeploymentReport(string cloud)
{
    private readonly List<(bool CannotHonour, string Subject, string Text)> _entries = [];

    public string Cloud { get; } = cloud;

    public IReadOnlyList<(bool CannotHonour, string Subject, string Text)> Entries => _entries;

    public void CannotHonour(string subject, string text) => _entries.Add((true, subject, text));

    public void Note(string subject, string text) => _entries.Add((false, subject, text));

    public async Task WriteAsync(TextWriter writer, CancellationToken cancellationToken)
    {
        foreach (var (cannot, subject, text) in _entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(cannot ? $"Portable : warning PORTABLE001: {Cloud}: {subject}: {text}" : $"Portable: {Cloud}: {subject}: {text}").ConfigureAwait(false);
        }
    }
}
