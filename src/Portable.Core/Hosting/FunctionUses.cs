using Portable.Blobs;
namespace Portable.Hosting;

/// <summary>
/// What a function touches, for least-privilege deployment: read from its public constructors' <see cref="IRepository{T}"/>,
/// <see cref="IQueue{T}"/> and <see cref="INotifier"/> parameters, plus its declarations (<see cref="FunctionsBuilder.Sends{TMessage}"/>,
/// <see cref="FunctionsBuilder.Publishes"/>, <see cref="FunctionsBuilder.UsesRepository{T}"/>). Its own trigger is not listed here.
/// </summary>
/// <remarks>
/// A constructor's <see cref="INotifier"/> does not say which topics: without a <see cref="FunctionsBuilder.Publishes"/> declaration
/// the function may publish to every topic of the app; with one, to the declared topics only.
/// </remarks>
public sealed class FunctionUses
{
    internal FunctionUses(IReadOnlyList<string> repositories, IReadOnlyList<string> queues, IReadOnlyList<string> topics)
    {
        Repositories = repositories;
        Queues = queues;
        Topics = topics;
    }

    /// <summary>The repositories (tables, collections) it reads and writes, by name.</summary>
    public IReadOnlyList<string> Repositories { get; }

    /// <summary>The queues it sends to, by name.</summary>
    public IReadOnlyList<string> Queues { get; }

    /// <summary>The topics it publishes to, by name.</summary>
    public IReadOnlyList<string> Topics { get; }

    /// <summary>The buckets it reads and writes through <see cref="IBlobStore"/>, by name (not the bucket of its own blob trigger, unless it also takes that store).</summary>
    public IReadOnlyList<string> Buckets { get; init; } = [];

    /// <summary>True when the function touches no repository, queue, topic or bucket: it needs no data permission.</summary>
    public bool IsEmpty => Repositories.Count == 0 && Queues.Count == 0 && Topics.Count == 0 && Buckets.Count == 0;
}
