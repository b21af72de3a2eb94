using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portable.Blobs;
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

    /// <summary>Maps a blob handler to changes in a bucket: objects written (<see cref="BlobEvents.Created"/>), deleted, or both.</summary>
    /// <typeparam name="TFunction">The handler class.</typeparam>
    /// <param name="bucket">The bucket's name; declared with it, as if by <see cref="ResourcesBuilder.AddBucket"/>.</param>
    /// <param name="events">The changes that invoke the function. Default <see cref="BlobEvents.Created"/>.</param>
    /// <param name="name">The function name; the class name when null.</param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// Each cloud delivers its own notification (S3 event notifications, Cloud Storage events through Eventarc, Event Grid blob
    /// events on Azure; locally, writes through the local store): the function receives the same <see cref="BlobEvent"/> from each,
    /// and the deployment files wire the notification.
    /// </remarks>
    /// <exception cref="ArgumentException">The bucket name is not portable (<see cref="BlobRules.ValidateBucket"/>) or no event is given.</exception>
    public FunctionsBuilder MapBlob<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction>(
        string bucket, BlobEvents events = BlobEvents.Created, string? name = null)
        where TFunction : class, IBlobHandler
    {
        BlobRules.ValidateBucket(bucket);
        if (events == 0 || (events & ~(BlobEvents.Created | BlobEvents.Deleted)) != 0)
        {
            throw new ArgumentException($"MapBlob<{typeof(TFunction).Name}>(\"{bucket}\") needs BlobEvents.Created, BlobEvents.Deleted or both.", nameof(events));
        }

        return Add<TFunction>(name, FunctionTrigger.Blob(bucket, events), typeof(BlobEvent), null, (_, _) => new BlobInvoker<TFunction>(bucket, events));
    }

    /// <summary>
    /// The settings of every function that does not set its own: memory, timeout, maximum concurrency and architecture. Set them
    /// before or after the Map calls; they are read when the app is built.
    /// </summary>
    public FunctionDefaults Defaults { get; } = new();

    /// <summary>Declares that the function mapped by the previous Map call sends <typeparamref name="TMessage"/> messages, to the queue declared for that type.</summary>
    /// <typeparam name="TMessage">The message type; <see cref="ResourcesBuilder.AddQueue{T}(string)"/> declares its queue.</typeparam>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// Adds the queue's name to <see cref="FunctionDefinition.Sends"/> and to <see cref="FunctionDefinition.Uses"/> when the app is built,
    /// so that deployment files can give the function an output binding to it and the right to send. The function still sends
    /// through <see cref="IQueue{T}"/>; a constructor's <see cref="IQueue{T}"/> is found without this declaration, so it is needed
    /// only when the queue is reached through another service. Declaring a type twice is harmless.
    /// </remarks>
    /// <exception cref="PortableConfigurationException">No function is mapped yet.</exception>
    public FunctionsBuilder Sends<TMessage>()
    {
        var sends = Last($"Sends<{typeof(TMessage).Name}>()").Sends;
        if (!sends.Contains(typeof(TMessage))) sends.Add(typeof(TMessage));
        return this;
    }

    /// <summary>Declares that the function mapped by the previous Map call publishes to a topic, and to no topic it does not declare.</summary>
    /// <param name="topic">The topic name; deployment files create it.</param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// A constructor's <see cref="INotifier"/> cannot say which topics it publishes to, so without this declaration a function that
    /// takes one may publish to every topic of the app. With it, <see cref="FunctionDefinition.Uses"/> lists only the declared topics.
    /// </remarks>
    /// <exception cref="PortableConfigurationException">No function is mapped yet, or the name is not portable.</exception>
    public FunctionsBuilder Publishes(string topic)
    {
        ValidateName(topic, "topic");
        var topics = Last($"Publishes(\"{topic}\")").Publishes;
        if (!topics.Contains(topic, StringComparer.Ordinal)) topics.Add(topic);
        return this;
    }

    /// <summary>Declares that the function mapped by the previous Map call reads and writes the repository of <typeparamref name="T"/> through another service.</summary>
    /// <typeparam name="T">The document type; <see cref="ResourcesBuilder.AddRepository{T}(string)"/> declares its repository.</typeparam>
    /// <returns>This builder.</returns>
    /// <remarks>A constructor's <see cref="IRepository{T}"/> is found without this declaration.</remarks>
    /// <exception cref="PortableConfigurationException">No function is mapped yet.</exception>
    public FunctionsBuilder UsesRepository<T>()
    {
        var repositories = Last($"UsesRepository<{typeof(T).Name}>()").Repositories;
        if (!repositories.Contains(typeof(T))) repositories.Add(typeof(T));
        return this;
    }

    /// <summary>Declares that the function mapped by the previous Map call reads and writes a bucket through another service.</summary>
    /// <param name="bucket">The bucket's name; <see cref="ResourcesBuilder.AddBucket"/> declares it.</param>
    /// <returns>This builder.</returns>
    /// <remarks>A constructor's <c>[FromKeyedServices("bucket")] IBlobStore</c> is found without this declaration.</remarks>
    /// <exception cref="PortableConfigurationException">No function is mapped yet.</exception>
    /// <exception cref="ArgumentException">The bucket name is not portable.</exception>
    public FunctionsBuilder UsesBucket(string bucket)
    {
        BlobRules.ValidateBucket(bucket);
        var buckets = Last($"UsesBucket(\"{bucket}\")").Buckets;
        if (!buckets.Contains(bucket, StringComparer.Ordinal)) buckets.Add(bucket);
        return this;
    }

    /// <summary>Sets the memory of the function mapped by the previous Map call.</summary>
    /// <param name="megabytes">From 128 to 10240 MB (<see cref="FunctionLimits"/>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="PortableConfigurationException">No function is mapped yet, or the value is outside the portable range.</exception>
    public FunctionsBuilder WithMemory(int megabytes)
    {
        var last = Last($"WithMemory({megabytes})");
        last.MemoryMb = FunctionLimits.CheckMemory(megabytes, last.Name);
        return this;
    }

    /// <summary>Sets how long one invocation of the function mapped by the previous Map call may run.</summary>
    /// <param name="timeout">Whole seconds, at most 900, or 30 for an HTTP function (<see cref="FunctionLimits"/>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="PortableConfigurationException">No function is mapped yet, or the value is not portable.</exception>
    public FunctionsBuilder WithTimeout(TimeSpan timeout)
    {
        var last = Last($"WithTimeout({timeout})");
        last.Timeout = FunctionLimits.CheckTimeout(timeout, last.Name, last.Trigger.Kind == TriggerKind.Http);
        return this;
    }

    /// <summary>Caps the instances or concurrent executions of the function mapped by the previous Map call.</summary>
    /// <param name="instances">From 1 to 1000.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="PortableConfigurationException">No function is mapped yet, or the value is outside 1-1000.</exception>
    public FunctionsBuilder WithMaxConcurrency(int instances)
    {
        var last = Last($"WithMaxConcurrency({instances})");
        last.MaxConcurrency = FunctionLimits.CheckConcurrency(instances, last.Name);
        return this;
    }

    /// <summary>Declares the architecture of the function mapped by the previous Map call; the app must be published for it.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="PortableConfigurationException">No function is mapped yet.</exception>
    public FunctionsBuilder WithArchitecture(FunctionArchitecture architecture)
    {
        var last = Last($"WithArchitecture({architecture})");
        last.Architecture = FunctionLimits.CheckArchitecture(architecture, last.Name);
        return this;
    }

    /// <summary>Makes the HTTP function mapped by the previous Map call public once deployed: anyone with the URL may call it.</summary>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// HTTP functions are private by default (<see cref="FunctionAccess.Private"/>): AWS IAM authorization, an Azure function key,
    /// Google's invoker role. Locally nothing changes: the local host listens on loopback only and checks no caller.
    /// </remarks>
    /// <exception cref="PortableConfigurationException">No function is mapped yet, or the previous one is not an HTTP function.</exception>
    public FunctionsBuilder AllowAnonymous()
    {
        var last = Last("AllowAnonymous()");
        if (last.Trigger.Kind != TriggerKind.Http)
        {
            throw new PortableConfigurationException(
                $"AllowAnonymous() follows {last.Name}, a {last.Trigger.Kind.ToString().ToLowerInvariant()} function; only HTTP functions have callers to allow. Remove it, or move it after a MapHttp call.");
        }

        last.Anonymous = true;
        return this;
    }

    internal List<FunctionDefinition> Build(JsonSerializerOptions json, TimeProvider time)
        => _registrations.Select(r => new FunctionDefinition(r.Name, r.Trigger, r.HandlerType, r.Input, r.Output, () => r.CreateInvoker(json, time))
        {
            SentTypes = r.Sends,
            Settings = Resolve(r),
            Declared = new DeclaredPorts(r.Ports, r.Repositories, r.Publishes, r.Buckets),
        }).ToList();

    private FunctionSettings Resolve(Registration r)
    {
        var http = r.Trigger.Kind == TriggerKind.Http;
        if (r.Timeout is null && http && Defaults.Timeout.TotalSeconds > FunctionLimits.MaxHttpTimeoutSeconds)
        {
            throw new PortableConfigurationException(
                $"{r.Name} is an HTTP function and inherits Functions.Defaults.Timeout {Defaults.Timeout}, above the {FunctionLimits.MaxHttpTimeoutSeconds} s an HTTP function may run " +
                $"(API Gateway's HTTP API cuts a request at 30 s). Give it its own: .MapHttp<{r.HandlerType.Name}>(…).WithTimeout(TimeSpan.FromSeconds(30)).");
        }

        return new FunctionSettings(
            r.MemoryMb ?? Defaults.MemoryMb,
            r.Timeout ?? Defaults.Timeout,
            r.MaxConcurrency ?? Defaults.MaxConcurrency,
            r.Architecture ?? Defaults.Architecture,
            http && r.Anonymous ? FunctionAccess.Anonymous : FunctionAccess.Private);
    }

    private Registration Last(string call)
        => _registrations.Count > 0
            ? _registrations[^1]
            : throw new PortableConfigurationException(
                $"{call} describes the function mapped just before it, but no function is mapped yet. " +
                $"Call it after the Map call: builder.Functions.MapHttp<…>(\"POST /route\").{call}.");

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
        _registrations.Add(new Registration(name, trigger, typeof(TFunction), input, output, invoker, () => ConstructorPorts.Read(typeof(TFunction))));
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
        Func<JsonSerializerOptions, TimeProvider, FunctionInvoker> CreateInvoker, Func<ConstructorPorts> Ports)
    {
        public List<Type> Sends { get; } = [];

        public List<Type> Repositories { get; } = [];

        public List<string> Publishes { get; } = [];

        public List<string> Buckets { get; } = [];

        public int? MemoryMb { get; set; }

        public TimeSpan? Timeout { get; set; }

        public int? MaxConcurrency { get; set; }

        public FunctionArchitecture? Architecture { get; set; }

        public bool Anonymous { get; set; }
    }
}
