using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Portable.Contracts.Settings;

/// <summary>Keeps every log line (level and message), for tests that assert what a failed start logged.</summary>
public sealed class LineCapture : ILoggerProvider
{
    /// <summary>The lines, in order.</summary>
    public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Lines { get; } = new();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(LineCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Lines.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
