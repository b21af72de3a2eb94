namespace Portable.Hosting;

/// <summary>One function of the catalog: its name, its trigger, and its input and output types.</summary>
public sealed class FunctionDefinition
{
    internal FunctionDefinition(string name, FunctionTrigger trigger, Type handlerType, Type? inputType, Type? outputType, FunctionInvoker invoker)
    {
        Name = name;
        Trigger = trigger;
        HandlerType = handlerType;
        InputType = inputType;
        OutputType = outputType;
        Invoker = invoker;
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

    internal FunctionInvoker Invoker { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Trigger})";
}
