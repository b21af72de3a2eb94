using Microsoft.Extensions.Logging;

namespace Portable.Gcp.Logging;

/// <summary>
/// Writes every log entry as one line of Cloud Logging structured JSON on standard output, which Cloud Run forwards:
/// <c>severity</c>, <c>message</c> (with the exception's stack trace, for Error Reporting), and the request's trace as
/// <c>logging.googleapis.com/trace</c> (<c>projects/PROJECT/traces/TRACE</c>) and <c>logging.googleapis.com/spanId</c>.
/// </summary>
internal sealed class GcpJsonLoggerProvider(TextWriter output, string? projectId) : ILoggerProvider, ISupportExternalScope
{
    private readonly Lock _gate = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ILogger CreateLogger(string categoryName) => new GcpJsonLogger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        lock (_gate) output.Flush();
    }

    internal IExternalScopeProvider Scopes => _scopes;

    internal string? ProjectId => projectId;

    internal void WriteLine(string line)
    {
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
