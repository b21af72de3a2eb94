namespace Portable.Hosting;

/// <summary>One function of the catalog: its name, its trigger, and its input and output types.</summary>
public sealed class FunctionDefinition
{
    private readonly Lazy<FunctionInvoker> _invoker;

    internal FunctionDefinition(string name, FunctionTrigger trigger, Type handlerType, Type? inputType, Type? outputType, Func<FunctionInvoker> invoker)
    {
        Name = name;
        Trigger = trigger;
        HandlerType = handlerType;
        InputType = inputType;
        OutputType = outputType;
        _invoker = new Lazy<FunctionInvoker>(invoker);
    }

    /// <summary>The function name, unique in the app; every adapter and deployment file uses it.</summary>
    public string Name { get; }

    /// <summary>The one trigger.</summary>
    public FunctionTrigger Trigger { get; }

    /// <summary>The class that handles invocations.</summary>
    public Type HandlerType { get; }

    /// <summary>The request, message or event type, if the function reads one.</summary>
    public Type? InputType { get; }

    /// <summary>The response type of a typed function.</summary>
    public Type? OutputType { get; }

    /// <summary>
    /// The queues the function declared it sends to (<see cref="FunctionsBuilder.Sends{TMessage}"/>), by name, in declaration
    /// order; empty when it declared none. Deployment files give the function an output binding to each.
    /// </summary>
    public IReadOnlyList<string> Sends { get; internal set; } = [];

    /// <summary>The invoker, made on first use: resolving JSON metadata is start-up work a cold start does not need for the functions it does not run (<see cref="FunctionCatalog.Validate()"/> checks them all).</summary>
    public FunctionInvoker Invoker => _invoker.Value;

    /// <summary>The declared message types behind <see cref="Sends"/>; the catalog resolves them to queue names.</summary>
    internal IReadOnlyList<Type> SentTypes { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Trigger})";
}
