using System.Text.Json.Serialization.Metadata;

namespace Portable.AspNetCore;

/// <summary>
/// The Portable functions and resources of an ASP.NET Core app, given to <c>builder.AddPortable(portable =&gt; ...)</c>: queue,
/// topic, schedule and event functions that run beside the app's endpoints, in the app's DI container, on every platform.
/// </summary>
public sealed class PortableWebBuilder
{
    private readonly PortableAppBuilder _app;

    internal PortableWebBuilder(PortableAppBuilder app) => _app = app;

    /// <summary>
    /// The function mappings: <c>MapQueue</c>, <c>MapTopic</c>, <c>MapSchedule</c>, <c>MapEvent</c>. HTTP is the app's own
    /// (minimal APIs, controllers), so <c>MapHttp</c> is refused when the app starts.
    /// </summary>
    public FunctionsBuilder Functions => _app.Functions;

    /// <summary>The repositories, queues and topics the app and its functions use; an endpoint takes <see cref="IQueue{T}"/> to feed a queue function.</summary>
    public ResourcesBuilder Resources => _app.Resources;

    /// <summary>The application name used in logs and deployment files; the entry assembly's name when null.</summary>
    public string? AppName
    {
        get => _app.AppName;
        set => _app.AppName = value;
    }

    /// <summary>Adds a source-generated JSON context that describes the functions' message, event and document types.</summary>
    /// <param name="resolver">Usually <c>YourJsonContext.Default</c>.</param>
    /// <returns>This builder.</returns>
    public PortableWebBuilder AddJson(IJsonTypeInfoResolver resolver)
    {
        _app.AddJson(resolver);
        return this;
    }

    /// <summary>
    /// Makes the app's HTTP surface public once deployed (the SAM HTTP API and function URL without IAM auth, the Azure catch-all
    /// function at <c>authLevel: anonymous</c>); by default it is private. The app's own authentication still applies.
    /// </summary>
    /// <returns>This builder.</returns>
    public PortableWebBuilder AllowAnonymous()
    {
        Anonymous = true;
        return this;
    }

    internal bool Anonymous { get; private set; }

    internal PortableApp Build() => _app.Build();
}
