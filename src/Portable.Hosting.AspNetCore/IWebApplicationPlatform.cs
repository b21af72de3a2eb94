using Microsoft.AspNetCore.Builder;

namespace Portable.Hosting.AspNetCore;

/// <summary>
/// A Kestrel-based platform adapter (Local, GCP, Azure) that can host a <see cref="PortableApp"/>'s functions inside an existing
/// ASP.NET Core app (Portable.AspNetCore's <c>builder.AddPortable(portable =&gt; ...)</c>), in the app's own DI container, beside
/// the app's endpoints, instead of in a host of its own.
/// </summary>
public interface IWebApplicationPlatform
{
    /// <summary>
    /// Adds to the app what the platform needs to run the Portable functions: <see cref="HostServices.AddPortableApp"/> with the
    /// platform's name, its ports (<see cref="IQueue{T}"/>,
    /// <see cref="IRepository{T}"/>, <see cref="INotifier"/>), the hosted services or the request middleware that deliver
    /// the platform's events to the functions, and the address Kestrel listens on when the platform dictates it.
    /// </summary>
    /// <param name="builder">The ASP.NET Core app's builder; its services already hold the Portable app's own registrations (its functions).</param>
    /// <param name="app">The Portable functions and resources, built.</param>
    void AddTo(WebApplicationBuilder builder, PortableApp app);
}
