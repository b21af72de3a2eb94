using System.Text.Json;
using Portable.Json;

namespace Portable.Hosting;

/// <summary>Everything the app declared: its functions, repositories, queues and topics. Adapters read it to route, dispatch and write deployment files.</summary>
public sealed class FunctionCatalog
{
    private readonly Dictionary<string, FunctionDefinition> _byName;
    private readonly Dictionary<Type, Lazy<object>> _repositories;
    private readonly Dictionary<Type, Lazy<object>> _queues;

    internal FunctionCatalog(
        string appName,
        IReadOnlyList<FunctionDefinition> functions,
        Dictionary<Type, Lazy<object>> repositories,
        Dictionary<Type, Lazy<object>> queues,
        IReadOnlyList<ResourceDescription> repositoryList,
        IReadOnlyList<ResourceDescription> queueList,
        IReadOnlyList<string> topics,
        IReadOnlyList<string> secrets,
        IReadOnlyList<string> buckets)
    {
        AppName = appName;
        Functions = functions;
        _byName = functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        _repositories = repositories;
        _queues = queues;
        Repositories = repositoryList;
        Queues = queueList;
        Topics = topics;
        Secrets = secrets;
        Buckets = buckets;
    }

    /// <summary>The application name (the entry assembly's name unless set).</summary>
    public string AppName { get; }

    /// <summary>Every function, in registration order.</summary>
    public IReadOnlyList<FunctionDefinition> Functions { get; }

    /// <summary>Every declared repository.</summary>
    public IReadOnlyList<ResourceDescription> Repositories { get; }

    /// <summary>Every declared queue and every queue a function consumes.</summary>
    public IReadOnlyList<ResourceDescription> Queues { get; }

    /// <summary>Every declared topic and every topic a function subscribes to.</summary>
    public IReadOnlyList<string> Topics { get; }

    /// <summary>Every declared bucket and every bucket a function is triggered by.</summary>
    public IReadOnlyList<string> Buckets { get; }

    /// <summary>Every declared secret: configuration keys whose values the deployment takes from the cloud's secret store.</summary>
    public IReadOnlyList<string> Secrets { get; }

    /// <summary>
    /// Resolves the JSON metadata of every function and every declared repository and queue now. The catalog otherwise does
    /// it on first use, so that a cold start only pays for the function it runs. <c>--describe</c>, <c>--write-deployment</c>
    /// (every cloud publish) and the local host call this, so a missing <c>[JsonSerializable]</c> is found before deployment.
    /// </summary>
    /// <exception cref="PortableConfigurationException">A type has no JSON metadata in the registered contexts.</exception>
    public void Validate()
    {
        foreach (var function in Functions) Validate(function);
        foreach (var definition in _repositories.Values.Concat(_queues.Values)) _ = definition.Value;
    }

    /// <summary>Resolves the JSON metadata of one function's input and output now; adapters that run one function a process call it at start.</summary>
    /// <param name="function">A function of this catalog.</param>
    /// <exception cref="PortableConfigurationException">A type has no JSON metadata in the registered contexts.</exception>
    public static void Validate(FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(function);
        _ = function.Invoker;
    }

    /// <summary>Finds a function by name (case-insensitive).</summary>
    /// <param name="name">The function name.</param>
    /// <returns>The function, or null.</returns>
    public FunctionDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Finds a function by name, or explains which names exist.</summary>
    /// <param name="name">The function name.</param>
    /// <returns>The function.</returns>
    /// <exception cref="PortableConfigurationException">No function has that name.</exception>
    public FunctionDefinition Get(string name)
        => Find(name) ?? throw new PortableConfigurationException(
            $"No function named '{name}'. This app has: {string.Join(", ", Functions.Select(f => f.Name))}.");

    /// <summary>The functions subscribed to a topic.</summary>
    /// <param name="topic">The topic name.</param>
    /// <returns>The subscribers, possibly none.</returns>
    public IEnumerable<FunctionDefinition> SubscribersOf(string topic)
        => Functions.Where(f => f.Trigger.Kind == TriggerKind.Topic && string.Equals(f.Trigger.Name, topic, StringComparison.Ordinal));

    /// <summary>The declared repository for a document type.</summary>
    /// <typeparam name="T">The document type.</typeparam>
    /// <returns>Its name and JSON metadata.</returns>
    /// <exception cref="PortableConfigurationException">The type was not declared.</exception>
    public RepositoryDefinition<T> GetRepository<T>()
        => _repositories.TryGetValue(typeof(T), out var definition)
            ? (RepositoryDefinition<T>)definition.Value
            : throw new PortableConfigurationException(
                $"IRepository<{typeof(T).Name}> was asked for, but no repository of {typeof(T).Name} is declared. " +
                $"Call builder.Resources.AddRepository<{typeof(T).Name}>(\"table-name\") where the app is built.");

    /// <summary>The declared queue for a message type.</summary>
    /// <typeparam name="T">The message type.</typeparam>
    /// <returns>Its name and JSON metadata.</returns>
    /// <exception cref="PortableConfigurationException">The type was not declared.</exception>
    public QueueDefinition<T> GetQueue<T>()
        => _queues.TryGetValue(typeof(T), out var definition)
            ? (QueueDefinition<T>)definition.Value
            : throw new PortableConfigurationException(
                $"IQueue<{typeof(T).Name}> was asked for, but no queue of {typeof(T).Name} is declared. " +
                $"Call builder.Resources.AddQueue<{typeof(T).Name}>(\"queue-name\") where the app is built.");

    /// <summary>The catalog as a document.</summary>
    /// <returns>The document.</returns>
    internal CatalogDocument ToDocument() => new(
        AppName,
        Functions.Select(f => new CatalogFunction(f.Name, f.Trigger, f.InputType?.Name, f.OutputType?.Name, f.HandlerType.Name, f.Sends.Count > 0 ? f.Sends : null,
            CatalogSettings.From(f), new CatalogUses(f.Uses.Repositories, f.Uses.Queues, f.Uses.Topics, f.Uses.Buckets.Count > 0 ? f.Uses.Buckets : null))).ToList(),
        Repositories,
        Queues,
        Topics.Select(t => new ResourceDescription(t, null)).ToList(),
        Secrets.Count > 0 ? Secrets : null,
        Buckets.Count > 0 ? Buckets : null);

    /// <summary>The catalog as indented JSON, as <c>--describe</c> prints it.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(ToDocument(), CatalogJsonContext.Default.CatalogDocument);
}
