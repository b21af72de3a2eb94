using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Portable.Testing;

/// <summary>Keeps every entry logged through the host's logger factory, with its scopes, for <see cref="PortableTestHost.Logs"/>.</summary>
[ProviderAlias("Memory")]
internal sealed class MemoryLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public void Clear() => _entries.Clear();

    public ILogger CreateLogger(string categoryName) => new MemoryLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Add<TState>(string category, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
        _scopes.ForEachScope(static (value, scope) => AddValues(value, scope), scope);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        AddValues(state, values);
        values.Remove("{OriginalFormat}");
        _entries.Enqueue(new LogEntry(level, category, eventId, formatter(state, exception), exception, values, scope));
    }

    private static void AddValues(object? value, Dictionary<string, object?> into)
    {
        if (value is not IEnumerable<KeyValuePair<string, object?>> pairs) return;
        foreach (var (key, item) in pairs) into[key] = item;
    }

    private sealed class MemoryLogger(MemoryLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel)) provider.Add(category, logLevel, eventId, state, exception, formatter);
        }
    }
}
