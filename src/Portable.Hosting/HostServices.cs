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
    /// subscriptions at start; any other gets <see cref="PortableMeterFactory"/> alone, without that start-up work, unless the host
    /// registered <c>AddMetrics()</c> itself (the Kestrel hosts: <see cref="RemoveIdleMetrics"/>).
    /// </summary>
    private static void AddMeterFactory(IServiceCollection services)
    {
        if (ConfiguresListeners(services)) services.AddMetrics();
        else services.TryAddSingleton<IMeterFactory, PortableMeterFactory>();
    }

    private static bool ConfiguresListeners(IServiceCollection services)
        => services.Any(d => d.ServiceType == typeof(IMetricsListener) || d.ServiceType == typeof(IConfigureOptions<MetricsOptions>));

    /// <summary>
    /// For a host that owns the whole container and calls this once every registration is in (the Kestrel hosts, before they build):
    /// when nothing configures a metrics listener or rule, removes what <c>AddMetrics()</c> registered (the generic host and ASP.NET
    /// Core call it) and registers <see cref="PortableMeterFactory"/> instead. <c>AddMetrics()</c>'s subscription manager is started
    /// by a <c>ValidateOnStart()</c> option whose generic options types Native AOT's type loader builds at every start, for listeners
    /// nobody registered (12 M instructions and about 7 ms of CPU of the local host's start, bench/README.md 2026-12-01 07:05).
    /// Its registrations are found by what it adds to an empty collection beyond <c>AddOptions()</c>; whatever
    /// <paramref name="app"/> registered itself stays, and so does the startup validator while any <c>ValidateOnStart()</c> option is
    /// left. Not for a container the user goes on configuring afterwards (an ASP.NET Core app with <c>AddPortable</c>): a listener
    /// added later would never be started.
    /// </summary>
    /// <param name="services">The host's services, complete.</param>
    /// <param name="app">The app, whose own registrations are kept.</param>
    public static void RemoveIdleMetrics(IServiceCollection services, PortableApp app)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(app);
        if (ConfiguresListeners(services)) return;
        var options = new ServiceCollection().AddOptions();
        var added = new ServiceCollection().AddMetrics().Where(d => !options.Any(o => Same(o, d))).ToList();
        var activation = added.FirstOrDefault(a => a.ImplementationFactory is not null)?.ServiceType; // IConfigureOptions<StartupValidatorOptions>
        var removed = 0;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(IStartupValidator) || !added.Any(a => Same(a, descriptor)) || app.Services.Contains(descriptor)) continue;
            services.RemoveAt(i);
            removed++;
        }

        if (removed > 0 && activation is not null && !services.Any(d => d.ServiceType == activation)) services.RemoveAll<IStartupValidator>();
        services.TryAddSingleton<IMeterFactory, PortableMeterFactory>();
    }

    /// <summary>The same registration by its types: service, lifetime, and the implementation's type, instance type or factory closure type.</summary>
    private static bool Same(ServiceDescriptor a, ServiceDescriptor b)
        => !a.IsKeyedService && !b.IsKeyedService && a.ServiceType == b.ServiceType && a.Lifetime == b.Lifetime &&
           a.ImplementationType == b.ImplementationType &&
           a.ImplementationInstance?.GetType() == b.ImplementationInstance?.GetType() &&
           (a.ImplementationFactory is null) == (b.ImplementationFactory is null) &&
           a.ImplementationFactory?.Target?.GetType() == b.ImplementationFactory?.Target?.GetType();
}
