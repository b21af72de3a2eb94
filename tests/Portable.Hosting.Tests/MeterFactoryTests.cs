using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Portable.Hosting;

namespace Portable.Hosting.Tests;

public sealed class MeterFactoryTests
{
    [Fact]
    public void AnAppWithoutMetricsListeners_GetsPortablesMeterFactory_AndNoStartupValidation()
    {
        using var services = Services(_ => { });

        Assert.IsType<PortableMeterFactory>(services.GetRequiredService<IMeterFactory>());
        Assert.Null(services.GetService<IStartupValidator>()); // nothing for StartupValidation to build at start
    }

    [Fact]
    public void AnAppThatAddsAMetricsListener_GetsAddMetrics_WithItsSubscriptionsStartedAtStart()
    {
        using var services = Services(b => b.Metrics.AddListener<NoListener>());

        Assert.IsNotType<PortableMeterFactory>(services.GetRequiredService<IMeterFactory>());
        Assert.NotNull(services.GetService<IStartupValidator>());
    }

    [Fact]
    public void WhereTheHostAlreadyAddedMetrics_AndNoListenerIsConfigured_RemoveIdleMetricsTakesItsSubscriptionWorkAway()
    {
        using var services = HostServicesOf(_ => { }, host => host.AddMetrics().AddMetrics()); // the generic host and ASP.NET Core each call it

        Assert.IsType<PortableMeterFactory>(services.GetRequiredService<IMeterFactory>());
        Assert.Null(services.GetService<IStartupValidator>());
    }

    [Fact]
    public void WhereTheHostAlreadyAddedMetrics_TheAppsOwnValidateOnStartOptions_AreStillValidated()
    {
        using var services = HostServicesOf(b => b.Services.AddOptions<Shop>().Validate(o => o.Name is not null, "Shop:Name is required.").ValidateOnStart(), host => host.AddMetrics());

        Assert.IsType<PortableMeterFactory>(services.GetRequiredService<IMeterFactory>());
        var failure = Assert.Throws<PortableConfigurationException>(() => StartupValidation.Validate(services));
        Assert.Contains("Shop:Name is required", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAppThatCallsAddMetricsItself_KeepsWhatItRegistered()
    {
        using var services = HostServicesOf(b => b.Services.AddMetrics(), host => host.AddMetrics());

        Assert.IsNotType<PortableMeterFactory>(services.GetRequiredService<IMeterFactory>());
        Assert.NotNull(services.GetService<IStartupValidator>());
        StartupValidation.Validate(services);
    }

    [Fact]
    public void TheFactory_GivesOneMeterPerNameVersionAndTags_ScopedToIt_AndDisposesThemWithIt()
    {
        var factory = new PortableMeterFactory();
        var meter = factory.Create(new MeterOptions("Orders") { Version = "1", Tags = [new("a", 1), new("b", "x")] });

        Assert.Same(meter, factory.Create(new MeterOptions("Orders") { Version = "1", Tags = [new("b", "x"), new("a", 1)] }));
        Assert.NotSame(meter, factory.Create(new MeterOptions("Orders") { Version = "2", Tags = [new("a", 1), new("b", "x")] }));
        Assert.NotSame(meter, factory.Create(new MeterOptions("Orders") { Version = "1" }));
        Assert.Same(factory, meter.Scope);
        Assert.Throws<InvalidOperationException>(() => factory.Create(new MeterOptions("Orders") { Scope = new object() }));

        var counter = meter.CreateCounter<long>("orders.placed");
        using var listener = new MeterListener { InstrumentPublished = (i, l) => { if (ReferenceEquals(i, counter)) l.EnableMeasurementEvents(i); } };
        listener.Start();
        Assert.True(counter.Enabled);
        factory.Dispose();
        Assert.False(counter.Enabled); // the meter was disposed with its factory
        Assert.Throws<ObjectDisposedException>(() => factory.Create(new MeterOptions("Orders")));
    }

    private static ServiceProvider Services(Action<PortableAppBuilder> configure)
    {
        var builder = PortableApp.CreateBuilder([]);
        configure(builder);
        var app = builder.Build();
        return app.Services.AddPortableApp(app, "test").BuildServiceProvider();
    }

    [Fact]
    public void AddPortableApp_LeavesTheHostsAddMetricsAlone_SoThatAListenerAddedAfterItStillStarts()
    {
        // An ASP.NET Core app with AddPortable goes on configuring its container afterwards: AddPortableApp must not remove anything.
        IServiceCollection services = new ServiceCollection();
        services.AddMetrics();
        var app = PortableApp.CreateBuilder([]).Build();
        services.AddPortableApp(app, "test");
        var listener = new NoListener();
        services.AddSingleton<IMetricsListener>(listener);
        using var provider = services.BuildServiceProvider();

        Assert.IsNotType<PortableMeterFactory>(provider.GetRequiredService<IMeterFactory>());
        StartupValidation.Validate(provider); // as the host does at start: the subscription manager initializes the listener
        Assert.True(listener.Initialized);
    }

    [Fact]
    public void RemoveIdleMetrics_WithAListenerConfigured_RemovesNothing()
    {
        IServiceCollection services = new ServiceCollection();
        services.AddMetrics();
        var app = PortableApp.CreateBuilder([]).Build();
        services.AddPortableApp(app, "test");
        services.AddSingleton<IMetricsListener, NoListener>();
        var before = services.Count;

        HostServices.RemoveIdleMetrics(services, app);

        Assert.Equal(before, services.Count);
    }

    /// <summary>As the Kestrel hosts build it: the host's own registrations first, then the app's, then <see cref="HostServices.AddPortableApp"/> and, once all is in, <see cref="HostServices.RemoveIdleMetrics"/>.</summary>
    private static ServiceProvider HostServicesOf(Action<PortableAppBuilder> configure, Action<IServiceCollection> host)
    {
        var builder = PortableApp.CreateBuilder([]);
        configure(builder);
        var app = builder.Build();
        IServiceCollection services = new ServiceCollection();
        host(services);
        foreach (var descriptor in app.Services) services.Add(descriptor);
        services.AddPortableApp(app, "test");
        HostServices.RemoveIdleMetrics(services, app);
        return services.BuildServiceProvider();
    }

    private sealed class Shop
    {
        public string? Name { get; set; }
    }

    private sealed class NoListener : IMetricsListener
    {
        public string Name => "none";

        public bool Initialized { get; private set; }

        public void Initialize(IObservableInstrumentsSource source) => Initialized = true;

        public bool InstrumentPublished(Instrument instrument, out object? userState)
        {
            userState = null;
            return false;
        }

        public void MeasurementsCompleted(Instrument instrument, object? userState)
        {
        }

        public MeasurementHandlers GetMeasurementHandlers() => new();
    }
}
