namespace Portable.Contracts;

/// <summary>The app whose catalog declares the repository, queue and topic a contract test works on.</summary>
public static class ContractApp
{
    /// <summary>A fresh name no other test uses: lower-case letters and digits, starting with a letter, valid on every platform.</summary>
    /// <param name="prefix">Letters to start with.</param>
    /// <returns>The name.</returns>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Builds an app declaring the given resources, with the contract JSON metadata.</summary>
    /// <param name="repository">A repository of <see cref="ContractDocument"/> to declare, or null.</param>
    /// <param name="queue">A queue of <see cref="ContractMessage"/> to declare, or null.</param>
    /// <param name="topic">A topic to declare, with a <see cref="ContractSubscriber"/> function on it, or null.</param>
    /// <param name="bucket">A bucket to declare, or null.</param>
    /// <returns>The app.</returns>
    public static PortableApp Build(string? repository = null, string? queue = null, string? topic = null, string? bucket = null)
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "contracts";
        builder.AddJson(ContractJson.Default);
        if (repository is not null) builder.Resources.AddRepository<ContractDocument>(repository);
        if (queue is not null) builder.Resources.AddQueue<ContractMessage>(queue);
        if (bucket is not null) builder.Resources.AddBucket(bucket);
        if (topic is not null)
        {
            builder.Resources.AddTopic(topic);
            builder.Functions.MapTopic<ContractSubscriber, Notification>(topic, "contract-subscriber");
        }

        return builder.Build();
    }
}
