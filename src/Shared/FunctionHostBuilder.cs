using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Portable.Hosting.AspNetCore;

/// <summary>
/// The start of every Kestrel host that reads configuration: ASP.NET Core's empty builder, with <c>appsettings.json</c>
/// beside the executable read once (never watched: a file watcher on a crowded folder costs the cold start), the environment
/// and the command line. Compiled into each adapter from this one file, since Portable.Core must not reference ASP.NET Core.
/// </summary>
internal static class FunctionHostBuilder
{
    public static WebApplicationBuilder Create(PortableApp app)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [.. app.Args] });
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddCommandLine([.. app.Args.Where(a => a != "--describe")]);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        return builder;
    }
}
