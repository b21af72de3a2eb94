using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.Hosting;
using Portable.Json;

namespace Portable;

/// <summary>
/// Builds a Portable app: its configuration, services, functions, resources and JSON contexts. Made by
/// <see cref="PortableApp.CreateBuilder"/>. It is an <see cref="IHostApplicationBuilder"/>, so the .NET ecosystem's
/// <c>builder.AddXyz()</c> and <c>builder.Services.AddXyz()</c> extensions work as in any .NET app, on every platform.
/// </summary>
public sealed class PortableAppBuilder : IHostApplicationBuilder
{
    private readonly PortableHostEnvironment _environment;

    internal PortableAppBuilder(string[] args)
        : this(args, System.Environment.GetEnvironmentVariable, AppContext.BaseDirectory, PortablePlatforms.Registered)
    {
    }

    internal PortableAppBuilder(string[] args, Func<string, string?> environment, string contentRoot, IReadOnlyList<IPortablePlatform> platforms)
    {
        Args = args;
        _environment = new PortableHostEnvironment(
            Assembly.GetEntryAssembly()?.GetName().Name ?? "portable-app",
            PortableHostEnvironment.Resolve(args, environment, platforms),
            contentRoot);
        Configuration = ConfigurationFactoryLocator.Find().Create(_environment, args);
        Logging = new PortableLoggingBuilder(Services);
        Metrics = new PortableMetricsBuilder(Services);
        Functions = new FunctionsBuilder(Services);
        Json.TypeInfoResolverChain.Add(CoreJsonContext.Default);
    }

    /// <summary>The command-line arguments.</summary>
    public IReadOnlyList<string> Args { get; }

    /// <summary>
    /// The configuration, the same on every platform: <c>appsettings.json</c>, then <c>appsettings.{Environment}.json</c> beside
    /// the executable (optional, read once, never watched), then environment variables, then the command line; later sources win.
    /// Bind options from it: <c>builder.Services.AddOptions&lt;T&gt;().Bind(builder.Configuration.GetSection("X")).ValidateOnStart()</c>.
    /// </summary>
    public IConfigurationManager Configuration { get; }

    /// <summary>
    /// The environment: <see cref="IHostEnvironment.ApplicationName"/> is <see cref="AppName"/> (the entry assembly's name until set),
    /// <see cref="IHostEnvironment.EnvironmentName"/> comes from <c>PORTABLE_ENVIRONMENT</c>, else <c>DOTNET_ENVIRONMENT</c>, else
    /// <c>Development</c> when the app runs on the local platform and <c>Production</c> in a cloud (and when the build carries no
    /// adapter, as in a test that builds an app by hand), and the content root is the executable's folder.
    /// </summary>
    public IHostEnvironment Environment => _environment;

    /// <summary>The logging registrations; they go into <see cref="Services"/>.</summary>
    public ILoggingBuilder Logging { get; }

    /// <summary>The metrics registrations; they go into <see cref="Services"/>.</summary>
    public IMetricsBuilder Metrics { get; }

    /// <summary>Shared state for the builder's extensions.</summary>
    public IDictionary<object, object> Properties { get; } = new Dictionary<object, object>();

    /// <summary>The services; adapters add their own when the app runs. One scope is created per invocation.</summary>
    public IServiceCollection Services { get; } = new ServiceCollection();

    /// <summary>The function mappings.</summary>
    public FunctionsBuilder Functions { get; }

    /// <summary>The repositories, queues and topics the app uses.</summary>
    public ResourcesBuilder Resources { get; } = new();

    /// <summary>
    /// The JSON options every function, message and document is read and written with. Add source-generated contexts with <see cref="AddJson"/>.
    /// Input (request bodies, messages, notification and event payloads) is read with a copy of these options (made once and kept) that also
    /// respects nullable annotations and requires every constructor parameter that is neither nullable nor optional.
    /// </summary>
    public JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { TypeInfoResolver = null };

    /// <summary>The application name used in logs, deployment files and <see cref="IHostEnvironment.ApplicationName"/>; the entry assembly's name when null.</summary>
    public string? AppName
    {
        get;
        set
        {
            field = value;
            if (value is not null) _environment.ApplicationName = value;
        }
    }

    /// <summary>The clock functions and adapters use, registered as a singleton service; tests replace it.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Adds a source-generated JSON context (or any resolver) that describes the app's request, response, message and document types.</summary>
    /// <param name="resolver">Usually <c>YourJsonContext.Default</c>.</param>
    /// <returns>This builder.</returns>
    public PortableAppBuilder AddJson(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        Json.TypeInfoResolverChain.Insert(Json.TypeInfoResolverChain.Count - 1, resolver);
        return this;
    }

    /// <summary>
    /// Portable builds its container itself with Microsoft.Extensions.DependencyInjection on every platform, so only a factory
    /// whose container builder is <see cref="Services"/> itself (such as <c>DefaultServiceProviderFactory</c>) is accepted;
    /// <paramref name="configure"/> then runs at once on <see cref="Services"/>.
    /// </summary>
    /// <typeparam name="TContainerBuilder">The container builder's type.</typeparam>
    /// <param name="factory">The factory.</param>
    /// <param name="configure">Changes to the container builder.</param>
    /// <exception cref="PortableConfigurationException">The factory builds another container.</exception>
    public void ConfigureContainer<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory, Action<TContainerBuilder>? configure = null)
        where TContainerBuilder : notnull
    {
        ArgumentNullException.ThrowIfNull(factory);
        var container = factory.CreateBuilder(Services);
        if (container is not IServiceCollection services || !ReferenceEquals(services, Services))
        {
            throw new PortableConfigurationException(
                $"{factory.GetType().Name} builds its own container; Portable builds Microsoft.Extensions.DependencyInjection's on every platform. " +
                "Register services in builder.Services instead.");
        }

        configure?.Invoke(container);
    }

    /// <summary>Builds the app. Every function's and resource's JSON metadata is resolved here, so a missing type fails now, with the fix in the message.</summary>
    /// <returns>The app, ready to run.</returns>
    /// <exception cref="PortableConfigurationException">A type has no JSON metadata, or the app is otherwise wired wrongly.</exception>
    public PortableApp Build()
    {
        Json.MakeReadOnly();
        InputStringLimit.Set(Json, InputStringLimit.Parse(Configuration[InputStringLimit.Setting]));
        Services.TryAddSingleton(TimeProvider);
        var functions = Functions.Build(Json, TimeProvider);
        var catalog = Resources.Build(_environment.ApplicationName, functions, Json);
        return new PortableApp(Args, Services, catalog, Json, TimeProvider, Configuration, _environment);
    }
}
