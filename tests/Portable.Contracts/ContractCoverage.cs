using System.Reflection;

namespace Portable.Contracts;

/// <summary>Finds the port implementations of an adapter assembly that no contract subclass covers.</summary>
public static class ContractCoverage
{
    /// <summary>
    /// Every non-abstract type in <paramref name="adapter"/> implementing <see cref="IRepository{T}"/>, <see cref="IQueue{T}"/> or
    /// <see cref="INotifier"/> that no non-abstract subclass of the matching contract in <paramref name="tests"/> names with
    /// <see cref="ContractForAttribute"/>.
    /// </summary>
    /// <param name="adapter">The adapter's assembly.</param>
    /// <param name="tests">The adapter's test assembly.</param>
    /// <returns>One line for each missing contract subclass; empty when every implementation is covered.</returns>
    public static IReadOnlyList<string> Missing(Assembly adapter, Assembly tests) => Missing(adapter, tests, networkStores: false);

    /// <summary>
    /// As <see cref="Missing(Assembly, Assembly)"/>; with <paramref name="networkStores"/>, every repository implementation must
    /// also have a <see cref="RepositoryRetryContract"/> subclass (its client talks to the store over the network and retries).
    /// </summary>
    /// <param name="adapter">The adapter's assembly.</param>
    /// <param name="tests">The adapter's test assembly.</param>
    /// <param name="networkStores">Whether the adapter's repositories are network stores.</param>
    /// <returns>One line for each missing contract subclass; empty when every implementation is covered.</returns>
    public static IReadOnlyList<string> Missing(Assembly adapter, Assembly tests, bool networkStores)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(tests);
        var covered = tests.GetTypes()
            .Where(t => !t.IsAbstract)
            .SelectMany(t => t.GetCustomAttributes<ContractForAttribute>().Select(a => (Contract: Contract(t), a.Implementation)))
            .ToList();
        var missing = new List<string>();
        foreach (var type in adapter.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false }))
        {
            foreach (var (port, contract) in Ports(type, networkStores))
            {
                if (!covered.Any(c => c.Contract == contract && Definition(c.Implementation) == Definition(type)))
                {
                    missing.Add($"{type.FullName} implements {port.Name} but no {contract.Name} subclass in {tests.GetName().Name} has [ContractFor(typeof({type.Name}))].");
                }
            }
        }

        return missing;
    }

    private static IEnumerable<(Type Port, Type Contract)> Ports(Type type, bool networkStores)
    {
        foreach (var port in type.GetInterfaces())
        {
            var definition = port.IsGenericType ? port.GetGenericTypeDefinition() : port;
            if (definition == typeof(IRepository<>))
            {
                yield return (port, typeof(RepositoryContract));
                if (networkStores) yield return (port, typeof(RepositoryRetryContract));
            }
            else if (definition == typeof(IQueue<>)) yield return (port, typeof(QueueContract));
            else if (definition == typeof(INotifier)) yield return (port, typeof(NotifierContract));
        }
    }

    private static Type? Contract(Type test)
    {
        for (var type = test.BaseType; type is not null; type = type.BaseType)
        {
            if (type == typeof(RepositoryContract) || type == typeof(RepositoryRetryContract) || type == typeof(QueueContract) || type == typeof(NotifierContract)) return type;
        }

        return null;
    }

    private static Type Definition(Type type) => type.IsGenericType ? type.GetGenericTypeDefinition() : type;
}
