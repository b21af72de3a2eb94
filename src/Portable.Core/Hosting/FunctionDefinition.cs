namespace Portable.Hosting;

/// <summary>One function of the catalog: its name, its trigger, and its input and output types.</summary>
public sealed class FunctionDefinition
{
    private readonly Lazy<FunctionInvoker> _invoker;
    private FunctionUses? _uses;

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

    /// <summary>Memory, timeout, maximum concurrency, architecture and access rule: its Map call's settings over <see cref="FunctionsBuilder.Defaults"/>.</summary>
    public FunctionSettings Settings { get; internal init; } = new(FunctionLimits.DefaultMemoryMb, TimeSpan.FromSeconds(FunctionLimits.DefaultTimeoutSeconds), null, null, FunctionAccess.Private);

    /// <summary>
    /// The repositories, queues and topics the function touches (its constructors' ports and its declarations), by name: what a
    /// least-privilege deployment grants it. Resolved on first read (a deployment writer or <c>--describe</c>), never per invocation.
    /// </summary>
    /// <exception cref="PortableConfigurationException">A constructor or declaration names a type whose repository or queue is not declared.</exception>
    public FunctionUses Uses => _uses ??= ResolveUses?.Invoke(this) ?? new FunctionUses([], [], []);

    /// <summary>The invoker, made on first use: resolving JSON metadata is start-up work a cold start does not need for the functions it does not run (<see cref="FunctionCatalog.Validate()"/> checks them all).</summary>
    public FunctionInvoker Invoker => _invoker.Value;

    /// <summary>The declared message types behind <see cref="Sends"/>; the catalog resolves them to queue names.</summary>
    internal IReadOnlyList<Type> SentTypes { get; init; } = [];

    /// <summary>The ports to resolve <see cref="Uses"/> from.</summary>
    internal DeclaredPorts Declared { get; init; } = DeclaredPorts.None;

    /// <summary>Set by the catalog: resolves <see cref="Declared"/> against the declared resources.</summary>
    internal Func<FunctionDefinition, FunctionUses>? ResolveUses { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Trigger})";
}
