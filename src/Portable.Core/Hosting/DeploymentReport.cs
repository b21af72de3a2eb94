namespace Portable.Hosting;

/// <summary>
/// What a deployment writer tells the user at publish about the app's declarations on its cloud: a capability the cloud cannot
/// honour (an MSBuild warning line, so <c>dotnet publish</c> shows it as a warning) or a difference worth knowing (a plain line).
/// Reported at publish, so that it is not discovered at run time.
/// </summary>
public sealed class DeploymentReport
{
    private readonly List<DeploymentReportEntry> _entries = [];

    /// <summary>Starts an empty report for a platform.</summary>
    /// <param name="platform">The cloud as a user names it (<c>AWS</c>, <c>Google Cloud</c>, <c>Azure</c>).</param>
    public DeploymentReport(string platform)
    {
        ArgumentException.ThrowIfNullOrEmpty(platform);
        Platform = platform;
    }

    /// <summary>The cloud the report is about.</summary>
    public string Platform { get; }

    /// <summary>Every entry, in the order added.</summary>
    public IReadOnlyList<DeploymentReportEntry> Entries => _entries;

    /// <summary>Records a declared capability the cloud cannot honour, and what the deployment does instead.</summary>
    /// <param name="subject">The function, resource or <c>app</c> it is about.</param>
    /// <param name="text">What cannot be honoured and what happens instead, as one sentence.</param>
    public void CannotHonour(string subject, string text) => Add(subject, text, cannotHonour: true);

    /// <summary>Records a difference of this cloud worth knowing (the declaration is honoured, differently).</summary>
    /// <param name="subject">The function, resource or <c>app</c> it is about.</param>
    /// <param name="text">The difference, as one sentence.</param>
    public void Note(string subject, string text) => Add(subject, text, cannotHonour: false);

    /// <summary>
    /// Prints every entry, one line each: <c>Portable : warning PORTABLE001: {Platform}: {subject}: {text}</c> for what cannot be
    /// honoured (MSBuild's canonical warning form, which the publish step's <c>Exec</c> turns into a build warning) and
    /// <c>Portable {Platform}: {subject}: {text}</c> for a note.
    /// </summary>
    /// <param name="output">Where to print (the console at publish).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when every line is written.</returns>
    public async Task WriteAsync(TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var entry in _entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await output.WriteLineAsync(Format(entry)).ConfigureAwait(false);
        }
    }

    /// <summary>One entry as <see cref="WriteAsync"/> prints it.</summary>
    /// <param name="entry">An entry of this report.</param>
    /// <returns>The line.</returns>
    public string Format(DeploymentReportEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.CannotHonour
            ? $"Portable : warning PORTABLE001: {Platform}: {entry.Subject}: {entry.Text}"
            : $"Portable {Platform}: {entry.Subject}: {entry.Text}";
    }

    private void Add(string subject, string text, bool cannotHonour)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(text);
        _entries.Add(new DeploymentReportEntry(subject, text.ReplaceLineEndings(" "), cannotHonour));
    }
}

/// <summary>One line of a <see cref="DeploymentReport"/>.</summary>
/// <param name="Subject">The function, resource or <c>app</c> it is about.</param>
/// <param name="Text">What the report says about it.</param>
/// <param name="CannotHonour">True when a declared capability cannot be honoured on the cloud; false for a note.</param>
public sealed record DeploymentReportEntry(string Subject, string Text, bool CannotHonour);
