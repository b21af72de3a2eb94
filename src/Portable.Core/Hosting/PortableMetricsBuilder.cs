using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;

namespace Portable.Hosting;

/// <summary><see cref="PortableAppBuilder.Metrics"/>: metrics registrations go into the app's services.</summary>
internal sealed class PortableMetricsBuilder(IServiceCollection services) : IMetricsBuilder
{
    public IServiceCollection Services { get; } = services;
}
