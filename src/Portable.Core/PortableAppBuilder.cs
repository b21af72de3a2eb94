using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portable.Hosting;
using Portable.Json;

namespace Portable;

/// <summary>Builds a Portable app: its services, functions, resources and JSON contexts. Made by <see cref="PortableApp.CreateBuilder"/>.</summary>
public sealed class PortableAppBuilder
{
    internal PortableAppBuilder(string[] args)
    {
        Args = args;
        Functions = new FunctionsBuilder(Services);
        Json.TypeInfoResolverChain.Add(CoreJsonContext.Default);
    }

    /// <summary>The command-line arguments.</summary>
    public IReadOnlyList<string> Args { get; }

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

    /// <summary>The application name used in logs and deployment files; the entry assembly's name when null.</summary>
    public string? AppName { get; set; }

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

    /// <summary>Builds the app. Every function's and resource's JSON metadata is resolved here, so a missing type fails now, with the fix in the message.</summary>
    /// <returns>The app, ready to run.</returns>
    /// <exception cref="PortableConfigurationException">A type has no JSON metadata, or the app is otherwise wired wrongly.</exception>
    public PortableApp Build()
    {
        Json.MakeReadOnly();
        Services.TryAddSingleton(TimeProvider);
        var functions = Functions.Build(Json, TimeProvider);
        var appName = AppName ?? Assembly.GetEntryAssembly()?.GetName().Name ?? "portable-app";
        var catalog = Resources.Build(appName, functions, Json);
        return new PortableApp(Args, Services, catalog, Json, TimeProvider);
    }
}
