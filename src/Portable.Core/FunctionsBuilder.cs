using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portable.Hosting;
using Portable.Json;

namespace Portable;

/// <summary>Maps handler classes to triggers. Every map call registers the handler as a scoped service: one instance per invocation.</summary>
public sealed class FunctionsBuilder
{
    private readonly IServiceCollection _services;
    private readonly List<Registration> _registrations = [];

    internal FunctionsBuilder(IServiceCollection services) => _services = services;

    /// <summary>Maps a typed function to an HTTP route: the JSON body is read as <typeparamref name="TInput"/> and the result written as JSON.</summary>
    /// <typeparam name="TFunction">The handler class.</typeparam>
    /// <typeparam name="TInput">The request type.</typeparam>
    /// <typeparam name="TOutput">The response type.</typeparam>
    /// <param name="methodAndRoute">The method and route, such as <c>POST /orders</c>.</param>
    /// <param name="successStatusCode">The status of a successful answer, such as 201.</param>
    /// <param name="name">The function name; the class name when null.</param>
    /// <returns>This builder.</returns>
    [SuppressMessage("ApiDesign", "RS0026", Justification = "The two MapHttp overloads differ in their number of type parameters, so no call is ambiguous.")]
    public FunctionsBuilder MapHttp<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction, TInput, TOutput>(
        string methodAndRoute, int successStatusCode = 200, string? name = null)
        where TFunction : class, IFunction<TInput, TOutput>
    {
        var trigger = ParseHttp(methodAndRoute);
        return Add<TFunction>(name, trigger, typeof(TInput), typeof(TOutput), (json, _) => new TypedHttpInvoker<TFunction, TInput, TOutput>(
            PortableJson.GetTypeInfo<TInput>(PortableJson.ForInput(json), typeof(TFunction).Name),
            PortableJson.GetTypeInfo<TOutput>(json, typeof(TFunction).Name),
            successStatusCode));
    }

    /// <summary>Maps a raw HTTP function to a route.</summary>
    /// <typeparam name="TFunction">The handler class.</typeparam>
    /// <param name="methodAndRoute">The method and route, such as <c>GET /orders/{id}</c>; <c>*</c> as the method takes GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS (API Gateway's <c>ANY</c>); other methods answer 405.</param>
    /// <param name="name">The function name; the class name when null.</param>
    /// <returns>This builder.</returns>
    [SuppressMessage("ApiDesign", "RS0026", Justification = "The two MapHttp overloads differ in their number of type parameters, so no call is ambiguous.")]
    public FunctionsBuilder MapHttp<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction>(string methodAndRoute, string? name = null)
        where TFunction : class, IHttpFunction
        => Add<TFunction>(name, ParseHttp(methodAndRoute), null, null, (_, _) => new RawHttpInvoker<TFunction>());

    /// <summary>Maps a message handler to a queue.</summary>
    /// <typeparam name="TFunction">The handler class.</typeparam>
    /// <typeparam name="TMessage">The message type.</typeparam>
    /// <param name="queue">The queue name.</param>
    /// <param name="name">The function name; the class name when null.</param>
    /// <returns>This builder.</returns>
    public FunctionsBuilder MapQueue<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction, TMessage>(string queue, string? name = null)
        where TFunction : class, IMessageHandler<TMessage>
    {
        ValidateName(queue, "queue");
        return Add<TFunction>(name, FunctionTrigger.Queue(queue), typeof(TMessage), null,
            (json, _) => new MessageInvoker<TFunction, TMessage>(PortableJson.GetTypeInfo<TMessage>(PortableJson.ForInput(json), typeof(TFunction).Name)));
    }

    /// <summary>Subscribes a message handler to a topic. The notification body is read as <typeparamref name="TMessage"/>, or the whole <see cref="Notification"/> is given when that is the type.</summary>
    /// <typeparam name="TFunction">The handler class.</typeparam>
    /// <typeparam name="TMessage">The body type, or <see cref="Notification"/>.</typeparam>
    /// <param name="topic">The topic name.</param>
    /// <param name="name">The function name; the class name when null.</param>
    /// <returns>This builder.</returns>
    public FunctionsBuilder MapTopic<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction, TMessage>(string topic, string? name = null)
        where TFunction : class, IMessageHandler<TMessage>
    {
        ValidateName(topic, "topic");
        return Add<TFunction>(name, FunctionTrigger.Topic(topic), typeof(TMessage), null,
            (json, _) => new MessageInvoker<TFunction, TMessage>(PortableJson.GetTypeInfo<TMessage>(PortableJson.ForInput(json), typeof(TFunction).Name)));
    }

    /// <summary>Runs a handler on a cron schedule.</summary>
    /// <typeparam name="TFunction">The handler class.</typeparam>
    /// <param name="cron">Five fields (minute hour day month weekday), UTC, such as <c>*/5 * * * *</c>.</param>
    /// <param name="name">The function name; the class name when null.</param>
    /// <returns>This builder.</returns>
    public FunctionsBuilder MapSchedule<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction>(string cron, string? name = null)
        where TFunction : class, IEventHandler<ScheduledEvent>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cron);
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            throw new PortableConfigurationException(
                $"The schedule '{cron}' of {typeof(TFunction).Name} has {fields.Length} fields; Portable schedules have five (minute hour day month weekday), in UTC.");
        }

        var normalized = string.Join(' ', fields);
        return Add<TFunction>(name, FunctionTrigger.Schedule(normalized), typeof(ScheduledEvent), null,
            (_, time) => new ScheduleInvoker<TFunction>(normalized, time));
    }

    /// <summary>Maps an event handler to a CloudEvent type.</summary>
    /// <typeparam name="TFunction">The handler class.</typeparam>
    /// <param name="eventType">The CloudEvent type, such as <c>google.cloud.storage.object.v1.finalized</c>.</param>
    /// <param name="name">The function name; the class name when null.</param>
    /// <returns>This builder.</returns>
    public FunctionsBuilder MapEvent<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction>(string eventType, string? name = null)
        where TFunction : class, IEventHandler<CloudEvent>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventType);
        return Add<TFunction>(name, FunctionTrigger.Event(eventType), typeof(CloudEvent), null, (_, _) => new EventInvoker<TFunction>());
    }

    /// <summary>Declares that the function mapped by the previous Map call sends <typeparamref name="TMessage"/> messages, to the queue declared for that type.</summary>
    /// <typeparam name="TMessage">The message type; <see cref="ResourcesBuilder.AddQueue{T}(string)"/> declares its queue.</typeparam>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// Adds the queue's name to <see cref="FunctionDefinition.Sends"/> when the app is built, so that deployment files can give
    /// the function an output binding to it. The function still sends through <see cref="IQueue{T}"/>. Declaring a type twice is harmless.
    /// </remarks>
    /// <exception cref="PortableConfigurationException">No function is mapped yet.</exception>
    public FunctionsBuilder Sends<TMessage>()
    {
        if (_registrations.Count == 0)
        {
            throw new PortableConfigurationException(
                $"Sends<{typeof(TMessage).Name}>() declares what the function mapped just before it sends, but no function is mapped yet. " +
                $"Call it after the Map call: builder.Functions.MapHttp<…>(\"POST /route\").Sends<{typeof(TMessage).Name}>().");
        }

        var sends = _registrations[^1].Sends;
        if (!sends.Contains(typeof(TMessage))) sends.Add(typeof(TMessage));
        return this;
    }

    internal List<FunctionDefinition> Build(JsonSerializerOptions json, TimeProvider time)
        => _registrations.Select(r => new FunctionDefinition(r.Name, r.Trigger, r.HandlerType, r.Input, r.Output, () => r.CreateInvoker(json, time)) { SentTypes = r.Sends }).ToList();

    private FunctionsBuilder Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction>(
        string? name, FunctionTrigger trigger, Type? input, Type? output, Func<JsonSerializerOptions, TimeProvider, FunctionInvoker> invoker)
        where TFunction : class
    {
        name ??= typeof(TFunction).Name;
        ValidateName(name, "function");
        if (_registrations.Any(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new PortableConfigurationException(
                $"Two functions are named '{name}'. Function names are unique in an app; pass a name to the second Map call.");
        }

        if (trigger.Kind == TriggerKind.Http && _registrations.FirstOrDefault(r => r.Trigger.Kind == TriggerKind.Http
                && r.Trigger.Method == trigger.Method && RouteTemplate.Parse(r.Trigger.Route!).Shape == RouteTemplate.Parse(trigger.Route!).Shape) is { } clash)
        {
            throw new PortableConfigurationException($"'{trigger.Method} {trigger.Route}' is mapped twice (as '{clash.Trigger.Route}' too): to {clash.Name} and to {name}. Only the first could ever be reached.");
        }

        _services.TryAddScoped<TFunction>();
        _registrations.Add(new Registration(name, trigger, typeof(TFunction), input, output, invoker));
        return this;
    }

    private static FunctionTrigger ParseHttp(string methodAndRoute)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(methodAndRoute);
        var parts = methodAndRoute.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !parts[1].StartsWith('/') || parts[0].Any(c => !char.IsAsciiLetter(c) && c != '*'))
        {
            throw new PortableConfigurationException(
                $"'{methodAndRoute}' is not a method and route. Write it as \"POST /orders\" or \"GET /orders/{{id}}\".");
        }

        var route = RouteTemplate.Parse(parts[1]);
        return FunctionTrigger.Http(parts[0].ToUpperInvariant(), route.Text);
    }

    internal static void ValidateName(string name, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 80 || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')))
        {
            throw new PortableConfigurationException(
                $"The {what} name '{name}' is not portable. Use at most 80 letters, digits, '-', '_' or '.', which every cloud accepts.");
        }
    }

    private sealed record Registration(string Name, FunctionTrigger Trigger, Type HandlerType, Type? Input, Type? Output,
        Func<JsonSerializerOptions, TimeProvider, FunctionInvoker> CreateInvoker)
    {
        public List<Type> Sends { get; } = [];
    }
}
