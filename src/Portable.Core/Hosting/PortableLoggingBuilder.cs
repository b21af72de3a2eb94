using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portable.Hosting;

/// <summary><see cref="PortableAppBuilder.Logging"/>: logging registrations go into the app's services.</summary>
internal sealed class PortableLoggingBuilder(IServiceCollection services) : ILoggingBuilder
{
    public IServiceCollection Services { get; } = services;
}
