using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Portable.Blobs;

namespace Portable.Hosting;

/// <summary>
/// The ports a handler class's public constructors take: <see cref="IRepository{T}"/>, <see cref="IQueue{T}"/> and
/// <see cref="INotifier"/> parameters. Reads the constructors the Map call's <see cref="DynamicallyAccessedMembersAttribute"/>
/// already keeps, so it is trim- and AOT-safe; the catalog runs it when a deployment writer or <c>--describe</c> asks, never per invocation.
/// </summary>
/// <param name="Repositories">The document types of its repositories.</param>
/// <param name="Queues">The message types of its queues.</param>
/// <param name="Notifier">Whether it takes an <see cref="INotifier"/>.</param>
/// <param name="Buckets">The keys of its <c>[FromKeyedServices("bucket")] IBlobStore</c> parameters.</param>
internal sealed record ConstructorPorts(IReadOnlyList<Type> Repositories, IReadOnlyList<Type> Queues, bool Notifier, IReadOnlyList<string> Buckets)
{
    /// <summary>Reads the ports of every public constructor: the one DI picks is among them, so the union is never short of a permission.</summary>
    public static ConstructorPorts Read([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type handler)
    {
        var repositories = new List<Type>();
        var queues = new List<Type>();
        var notifier = false;
        var buckets = new List<string>();
        foreach (var parameter in handler.GetConstructors().SelectMany(c => c.GetParameters()))
        {
            var type = parameter.ParameterType;
            if (type == typeof(INotifier))
            {
                notifier = true;
            }
            else if (type == typeof(IBlobStore))
            {
                var key = parameter.GetCustomAttribute<FromKeyedServicesAttribute>()?.Key as string ?? throw new PortableConfigurationException(
                    $"{handler.Name} takes an IBlobStore without naming its bucket. Take it as [FromKeyedServices(\"bucket-name\")] IBlobStore.");
                if (!buckets.Contains(key, StringComparer.Ordinal)) buckets.Add(key);
            }
            else if (type.IsGenericType && type.GetGenericTypeDefinition() is var open && (open == typeof(IRepository<>) || open == typeof(IQueue<>)))
            {
                var list = open == typeof(IRepository<>) ? repositories : queues;
                var argument = type.GetGenericArguments()[0];
                if (!list.Contains(argument)) list.Add(argument);
            }
        }

        return new ConstructorPorts(repositories, queues, notifier, buckets);
    }
}
