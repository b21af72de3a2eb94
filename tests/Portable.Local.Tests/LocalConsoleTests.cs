using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portable.Hosting;
using Portable.Local.Logging;

namespace Portable.Local.Tests;

/// <summary>
/// Issue #12's local visibility: the console shows one Information line per invocation (function, trigger, duration, invocation
/// id, trace id), and every line written inside an invocation ends with its trace and span id. The lines are rendered by the
/// console formatter the local host installs, fed by a provider that keeps them.
/// </summary>
public sealed partial class LocalConsoleTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Fact]
    public async Task AnHttpInvocation_PrintsOneInformationLine_WithFunctionTriggerDurationInvocationAndTraceId_EndingWithTraceAndSpan()
    {
        var console = new FormattedLines();
        await using var host = await RunningHost.StartAsync(web: web => web.Logging.AddProvider(console));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = new StringContent("""{"text":"hi"}""", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");

        using var response = await host.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await host.WaitUntilAsync(() => console.Lines.Any(l => l.Contains(" completed in ", StringComparison.Ordinal)));

        var line = Assert.Single(console.Lines, l => l.Contains(" completed in ", StringComparison.Ordinal));
        var match = CompletionLine().Match(line);
        Assert.True(match.Success, line);
        Assert.Equal("EchoFunction", match.Groups["function"].Value);
        Assert.Equal("http", match.Groups["trigger"].Value);
        Assert.Equal(TraceId, match.Groups["trace"].Value);
        Assert.Equal(TraceId, match.Groups["scopeTrace"].Value);
        Assert.NotEqual("00f067aa0ba902b7", match.Groups["span"].Value); // the invocation's own span, a child of the caller's
    }

    [Fact]
    public async Task ALineAFunctionWrites_EndsWithItsInvocationsTraceAndSpan_AndALineOutsideAnyInvocationDoesNot()
    {
        var console = new FormattedLines();
        await using var host = await RunningHost.StartAsync(web: web => web.Logging.AddProvider(console));
        host.Get<Queues.LocalQueues>().SendRaw("jobs", "not json"); // the function refuses it: its warning is written inside the invocation

        await host.WaitUntilAsync(() => console.Lines.Any(l => l.Contains("dead-letter queue without retries", StringComparison.Ordinal)));

        var refused = Assert.Single(console.Lines, l => l.Contains(" warn: Portable.Functions.JobHandler[", StringComparison.Ordinal));
        Assert.Matches(@" trace=[0-9a-f]{32} span=[0-9a-f]{16}$", refused);
        var dispatcher = Assert.Single(console.Lines, l => l.Contains("dead-letter queue without retries", StringComparison.Ordinal));
        Assert.DoesNotContain(" trace=", dispatcher, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFormatter_UsesTheInnermostInvocationScope_AndWritesTheExceptionOnTheNextLines()
    {
        var scopes = new LoggerExternalScopeProvider();
        using var outer = scopes.Push(new InvocationLogScope("Outer", "i-1", "local", "aaaa", "1111", sampled: true));
        using var request = scopes.Push(new[] { new KeyValuePair<string, object?>("RequestId", "r-1") });
        using var inner = scopes.Push(new InvocationLogScope("F", "i-2", "local", "bbbb", "2222", sampled: true));
        using var lookAlike = scopes.Push(new[] { new KeyValuePair<string, object?>("TraceId", "cccc"), new KeyValuePair<string, object?>("SpanId", "3333") }); // ASP.NET Core's activity scope has these keys too
        using var writer = new StringWriter();
        var entry = new LogEntry<string>(LogLevel.Error, "Portable.Functions.F", new EventId(4), "F failed\nbadly", new InvalidOperationException("why"), (s, _) => s);

        new LocalConsoleFormatter().Write(entry, scopes, writer);

        var lines = writer.ToString().Split(Environment.NewLine);
        Assert.Matches(@"^\d\d:\d\d:\d\d fail: Portable\.Functions\.F\[4\] F failed badly trace=bbbb span=2222$", lines[0]);
        Assert.StartsWith("System.InvalidOperationException: why", lines[1], StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d info: Portable\.Functions\.(?<function>\w+)\[1\] \k<function> completed in \d+\.\d ms \((?<trigger>\w+), invocation (?<invocation>\S+), trace (?<trace>[0-9a-f]{32})\) trace=(?<scopeTrace>[0-9a-f]{32}) span=(?<span>[0-9a-f]{16})$")]
    private static partial Regex CompletionLine();

    /// <summary>Keeps every line as the local console prints it (the same formatter, the same scopes).</summary>
    private sealed class FormattedLines : ILoggerProvider, ISupportExternalScope
    {
        private readonly LocalConsoleFormatter _formatter = new();
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(FormattedLines owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel)) return;
                using var writer = new StringWriter();
                owner._formatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), owner._scopes, writer);
                owner.Lines.Enqueue(writer.ToString().Split(Environment.NewLine)[0]);
            }
        }
    }
}
