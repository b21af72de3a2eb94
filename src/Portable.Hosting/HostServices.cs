using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Diagnostics.Metrics;

namespace Portable.Hosting;

/// <summary>The registrations every adapter's host starts from.</summary>
public static class HostServices
{
    /// <summary>Registers the app, its catalog, its <see cref="TimeProvider"/>, its configuration (<see cref="IConfiguration"/>) and environment (<see cref="IHostEnvironment"/>), the <see cref="System.Diagnostics.Metrics.IMeterFactory"/>, the <see cref="FunctionExecutor"/> for <paramref name="platform"/> and the <see cref="HttpDispatcher"/>, each unless already registered.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="app">The built app.</param>
    /// <param name="platform">The platform name <see cref="FunctionContext.Platform"/> reports, such as <c>aws</c>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortableApp(this IServiceCollection services, PortableApp app, string platform)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(app);
        services.TryAddSingleton(app);
        services.TryAddSingleton(app.Catalog);
        services.TryAddSingleton(app.TimeProvider);
        services.TryAddSingleton(app.Configuration);
        services.TryAddSingleton(app.Environment);
        AddMeterFactory(services);
        services.TryAddSingleton(sp => new FunctionExecutor(platform, sp, app.TimeProvider));
        services.TryAddSingleton(sp => new HttpDispatcher(app.Catalog, sp.GetRequiredService<FunctionExecutor>(), sp.GetService<ILogger<HttpDispatcher>>()));
        return services;
    }

    /// <summary>
    /// The <see cref="IMeterFactory"/> for the Portable meter and the functions' business meters. An app that configures metrics
    /// listeners or rules (<c>builder.Metrics.AddListener</c>, <c>EnableMetrics</c>) gets <c>AddMetrics()</c>, which starts their
    /// subscriptions at start; any other gets <see cref="PortableMeterFactory"/> alone, without that start-up work.
    /// </summary>
    private static void AddMeterFactory(IServiceCollection services)
    {
        var configuresListeners = services.Any(d => d.ServiceType == typeof(IMetricsListener) || d.ServiceType == typeof(IConfigureOptions<MetricsOptions>));
        if (configuresListeners) services.AddMetrics();
        else services.TryAddSingleton<IMeterFactory, PortableMeterFactory>();
    }
}
