using System.Diagnostics.Metrics;

namespace Portable.Hosting;

/// <summary>
/// The <see cref="IMeterFactory"/> Portable registers when the app configures no metrics listener: one meter per name, version and
/// tags, scoped to this factory and disposed with it, as the one <c>AddMetrics()</c> registers. <c>AddMetrics()</c> also registers a
/// <c>ValidateOnStart()</c> option that activates its listener subscriptions at start; in a Native AOT process that builds the options
/// machinery's generic types at run time, about 5 ms of a Lambda cold start spent for listeners nobody registered.
/// </summary>
internal sealed class PortableMeterFactory : IMeterFactory
{
    private readonly Dictionary<string, List<Meter>> _meters = new(StringComparer.Ordinal);
    private bool _disposed;

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Scope is not null && !ReferenceEquals(options.Scope, this))
        {
            throw new InvalidOperationException("The meter options' Scope must be null or this factory.");
        }

        lock (_meters)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_meters.TryGetValue(options.Name, out var meters)) _meters[options.Name] = meters = [];
            foreach (var meter in meters)
            {
                if (meter.Version == options.Version && SameTags(meter.Tags, options.Tags)) return meter;
            }

            var created = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
            meters.Add(created);
            return created;
        }
    }

    public void Dispose()
    {
        lock (_meters)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var meter in _meters.Values.SelectMany(m => m)) meter.Dispose();
            _meters.Clear();
        }
    }

    /// <summary>The same set of tags, in any order.</summary>
    private static bool SameTags(IEnumerable<KeyValuePair<string, object?>>? a, IEnumerable<KeyValuePair<string, object?>>? b)
    {
        var left = a?.ToList() ?? [];
        var right = b?.ToList() ?? [];
        return left.Count == right.Count && left.All(tag => right.Contains(tag));
    }
}
