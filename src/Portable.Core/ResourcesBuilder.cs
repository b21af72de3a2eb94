using System.Text.Json;
using Portable.Blobs;
using Portable.Hosting;
using Portable.Json;

namespace Portable;

/// <summary>Declares the repositories, queues and topics the app uses, so that every adapter knows their names and deployment files create them.</summary>
public sealed class ResourcesBuilder
{
    private readonly Dictionary<Type, (string Name, Func<JsonSerializerOptions, object> Create)> _repositories = [];
    private readonly Dictionary<Type, (string Name, Func<JsonSerializerOptions, object> Create)> _queues = [];
    private readonly List<string> _topics = [];
    private readonly List<string> _secrets = [];
    private readonly List<string> _buckets = [];

    internal ResourcesBuilder()
    {
    }

    /// <summary>Declares the repository of a document type, so that <see cref="IRepository{T}"/> can be injected.</summary>
    /// <typeparam name="T">The document type; it needs JSON metadata in a registered context.</typeparam>
    /// <param name="name">The collection or table name.</param>
    /// <returns>This builder.</returns>
    public ResourcesBuilder AddRepository<T>(string name)
    {
        FunctionsBuilder.ValidateName(name, "repository");
        Declare(_repositories, typeof(T), name, "repository", json => new RepositoryDefinition<T>(name, PortableJson.GetTypeInfo<T>(json, $"repository '{name}'")));
        return this;
    }

    /// <summary>Declares the queue of a message type, so that <see cref="IQueue{T}"/> can be injected.</summary>
    /// <typeparam name="T">The message type; it needs JSON metadata in a registered context.</typeparam>
    /// <param name="name">The queue name.</param>
    /// <returns>This builder.</returns>
    public ResourcesBuilder AddQueue<T>(string name)
    {
        FunctionsBuilder.ValidateName(name, "queue");
        Declare(_queues, typeof(T), name, "queue", json => new QueueDefinition<T>(name, PortableJson.GetTypeInfo<T>(json, $"queue '{name}'")));
        return this;
    }

    /// <summary>Declares a topic the app publishes to, so that deployment files create it even when no function here subscribes.</summary>
    /// <param name="name">The topic name.</param>
    /// <returns>This builder.</returns>
    public ResourcesBuilder AddTopic(string name)
    {
        FunctionsBuilder.ValidateName(name, "topic");
        if (!_topics.Contains(name, StringComparer.Ordinal)) _topics.Add(name);
        return this;
    }

    /// <summary>
    /// Declares a bucket of objects (files), so that <c>[FromKeyedServices("name")] IBlobStore</c> can be injected and deployment
    /// files create it: an S3 bucket, a Cloud Storage bucket, a Blob Storage container, a folder locally.
    /// </summary>
    /// <param name="name">The bucket's logical name (<see cref="BlobRules.ValidateBucket"/>); each cloud's deployment names the real bucket from it.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is not a portable bucket name.</exception>
    public ResourcesBuilder AddBucket(string name)
    {
        BlobRules.ValidateBucket(name);
        if (!_buckets.Contains(name, StringComparer.Ordinal)) _buckets.Add(name);
        return this;
    }

    /// <summary>
    /// Declares a secret the app reads as configuration (<c>IConfiguration["PaymentsApiKey"]</c>). Each deployment file wires it
    /// from its cloud's secret store by reference, never by value: AWS Secrets Manager, Google Secret Manager, Azure Key Vault.
    /// Locally it comes from user secrets (<c>dotnet user-secrets set PaymentsApiKey VALUE</c>, in the Development environment) or
    /// an environment variable of the same name. A declared secret without a value fails the start, naming it.
    /// </summary>
    /// <param name="name">The configuration key and the secret's default name in the store: an ASCII letter, then letters and digits, at most 127.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is not a portable secret name.</exception>
    public ResourcesBuilder AddSecret(string name)
    {
        ValidateSecretName(name);
        if (!_secrets.Contains(name, StringComparer.OrdinalIgnoreCase)) _secrets.Add(name);
        return this;
    }

    internal static void ValidateSecretName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 127 || !char.IsAsciiLetter(name[0]) || !name.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException(
                $"'{name}' is not a portable secret name: use an ASCII letter, then ASCII letters and digits, at most 127 characters " +
                "(a name every cloud's secret store and every environment accepts as it is).", nameof(name));
        }
    }

    internal FunctionCatalog Build(string appName, List<FunctionDefinition> functions, JsonSerializerOptions json)
    {
        var repositories = _repositories.ToDictionary(p => p.Key, p => new Lazy<object>(() => p.Value.Create(json)));
        var queues = _queues.ToDictionary(p => p.Key, p => new Lazy<object>(() => p.Value.Create(json)));
        var queueList = _queues.Select(p => new ResourceDescription(p.Value.Name, p.Key.Name)).ToList();
        foreach (var consumer in functions.Where(f => f.Trigger.Kind == TriggerKind.Queue))
        {
            if (!queueList.Any(q => q.Name == consumer.Trigger.Name)) queueList.Add(new ResourceDescription(consumer.Trigger.Name!, consumer.InputType?.Name));
        }

        foreach (var function in functions)
        {
            function.Sends = function.SentTypes.Select(type => _queues.TryGetValue(type, out var queue) ? queue.Name : throw new PortableConfigurationException(
                $"{function.Name} declares Sends<{type.Name}>(), but no queue of {type.Name} is declared. " +
                $"Call builder.Resources.AddQueue<{type.Name}>(\"queue-name\") where the app is built.")).ToList();
        }

        var topics = _topics.Concat(functions.Where(f => f.Trigger.Kind == TriggerKind.Topic).Select(f => f.Trigger.Name!))
            .Concat(functions.SelectMany(f => f.Declared.Publishes))
            .Distinct(StringComparer.Ordinal).ToList();
        var buckets = _buckets.Concat(functions.Where(f => f.Trigger.Kind == TriggerKind.Blob).Select(f => f.Trigger.Name!))
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var function in functions) function.ResolveUses = f => ResolveUses(f, topics, buckets);
        return new FunctionCatalog(
            appName,
            functions,
            repositories,
            queues,
            _repositories.Select(p => new ResourceDescription(p.Value.Name, p.Key.Name)).ToList(),
            queueList,
            topics,
            [.. _secrets],
            buckets);
    }

    private FunctionUses ResolveUses(FunctionDefinition function, IReadOnlyList<string> topics, IReadOnlyList<string> declaredBuckets)
    {
        var constructor = function.Declared.Constructor();
        var repositories = constructor.Repositories.Concat(function.Declared.Repositories).Distinct().Select(type => _repositories.TryGetValue(type, out var repository)
            ? repository.Name
            : throw new PortableConfigurationException(
                $"{function.Name} uses IRepository<{type.Name}>, but no repository of {type.Name} is declared. " +
                $"Call builder.Resources.AddRepository<{type.Name}>(\"table-name\") where the app is built.")).Distinct(StringComparer.Ordinal).ToList();
        var queues = constructor.Queues.Where(type => !function.SentTypes.Contains(type)).Select(type => _queues.TryGetValue(type, out var queue)
            ? queue.Name
            : throw new PortableConfigurationException(
                $"{function.Name} takes IQueue<{type.Name}>, but no queue of {type.Name} is declared. " +
                $"Call builder.Resources.AddQueue<{type.Name}>(\"queue-name\") where the app is built.")).Concat(function.Sends).Distinct(StringComparer.Ordinal).ToList();
        IReadOnlyList<string> published = function.Declared.Publishes.Count > 0 ? function.Declared.Publishes : constructor.Notifier ? topics : [];
        var buckets = constructor.Buckets.Concat(function.Declared.Buckets).Distinct(StringComparer.Ordinal).Select(bucket => declaredBuckets.Contains(bucket, StringComparer.Ordinal)
            ? bucket
            : throw new PortableConfigurationException(
                $"{function.Name} uses bucket '{bucket}', but no such bucket is declared. Call builder.Resources.AddBucket(\"{bucket}\") where the app is built.")).ToList();
        return new FunctionUses(repositories, queues, [.. published]) { Buckets = buckets };
    }

    private static void Declare(Dictionary<Type, (string, Func<JsonSerializerOptions, object>)> map, Type type, string name, string what, Func<JsonSerializerOptions, object> create)
    {
        if (map.TryGetValue(type, out var existing) && existing.Item1 != name)
        {
            throw new PortableConfigurationException(
                $"{type.Name} is declared for two {what} names, '{existing.Item1}' and '{name}'. A type has one {what}; wrap it in a distinct type for the second.");
        }

        if (map.Any(p => p.Key != type && p.Value.Item1 == name))
        {
            throw new PortableConfigurationException($"The {what} name '{name}' is declared for two types. Give each type its own {what}.");
        }

        map[type] = (name, create);
    }
}
