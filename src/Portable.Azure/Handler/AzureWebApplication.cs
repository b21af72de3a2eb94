using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portable.Hosting;

namespace Portable.Azure.Handler;

/// <summary>
/// An ASP.NET Core app with Portable functions as an Azure Functions custom handler: Kestrel on
/// 127.0.0.1:<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>; the catch-all HTTP function's forwarded requests reach the app's own routes (under
/// <c>routePrefix</c>, which becomes the request's <c>PathBase</c>); and the host's invocations of the Portable functions
/// (<c>POST /{FunctionName}</c> with the custom-handler JSON) reach the same handler a Portable app on Azure has.
/// </summary>
internal static class AzureWebApplication
{
    public static void AddTo(WebApplicationBuilder builder, PortableApp app)
    {
        var options = AzureOptions.FromConfiguration(builder.Configuration);
        options.Validate();
        builder.Services.AddPortableApp(app, AzurePlatform.Instance.Name);
        AzureHost.AddAzureServices(builder.Services, app, options);
        builder.Services.AddSingleton<IStartupFilter, Middleware>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, options.Port));
    }

    /// <summary>First in the app's pipeline: invocations of the Portable functions, and the route prefix as the path base.</summary>
    private sealed class Middleware(CustomHandlerEndpoint endpoint, FunctionCatalog catalog, AzureOptions options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(HandleAsync);
            next(app);
        };

        private Task HandleAsync(HttpContext context, RequestDelegate next)
        {
            var request = context.Request;
            var path = request.Path.Value ?? "/";
            if (IsInvocation(request, path)) return endpoint.HandleAsync(context);

            var prefix = options.NormalizedRoutePrefix;
            if (prefix.Length > 0 && request.Path.StartsWithSegments("/" + prefix, StringComparison.OrdinalIgnoreCase, out var matched, out var remaining))
            {
                request.PathBase = request.PathBase.Add(matched);
                request.Path = remaining;
            }

            return next(context);
        }

        /// <summary>The host's call of a Portable function: <c>POST /{FunctionName}</c>, with its invocation id and JSON.</summary>
        private bool IsInvocation(HttpRequest request, string path)
            => HttpMethods.IsPost(request.Method) && path.Length > 1 && path.IndexOf('/', 1) < 0
               && request.Headers.ContainsKey(CustomHandlerEndpoint.InvocationIdHeader)
               && catalog.Functions.Any(f => string.Equals(f.Name, path[1..], StringComparison.OrdinalIgnoreCase));
    }
}
