using Portable;

namespace WebApi;

/// <summary>The Portable queue function: records each greeting in the app's own <see cref="GreetingBook"/> (one DI container for endpoints and functions).</summary>
public sealed partial class RecordGreeting(GreetingBook book, ILogger<RecordGreeting> log) : IMessageHandler<Greeting>
{
    /// <inheritdoc />
    public Task HandleAsync(Greeting message, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        book.Add(message.Name);
        LogRecorded(log, message.Name, context.Platform);
        return Task.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Information, "Recorded a greeting for {Name} on {Platform}")]
    private static partial void LogRecorded(ILogger logger, string name, string platform);
}

/// <summary>The greetings the queue function has recorded, in this process.</summary>
public sealed class GreetingBook
{
    private readonly Lock _gate = new();
    private readonly List<string> _names = [];

    /// <summary>The names, in the order they were recorded.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate) return [.. _names];
        }
    }

    /// <summary>Records a name.</summary>
    /// <param name="name">The name.</param>
    public void Add(string name)
    {
        lock (_gate) _names.Add(name);
    }
}
