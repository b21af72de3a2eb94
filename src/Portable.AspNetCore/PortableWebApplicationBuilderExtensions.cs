using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portable.AspNetCore.Lambda;

namespace Microsoft.AspNetCore.Builder; // by convention: appears on WebApplicationBuilder without a using

/// <summary>Runs an existing ASP.NET Core app with Portable.</summary>
public static class PortableWebApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the app wherever it runs, with the app unchanged: on AWS Lambda (<c>AWS_LAMBDA_RUNTIME_API</c> set) through the
    /// Lambda Runtime API, elsewhere on Kestrel as usual.
    /// </summary>
    /// <remarks>
    /// On Lambda this replaces the <see cref="IServer"/> (Kestrel) with one that takes each invocation from the Runtime API
    /// (API Gateway REST and HTTP API, ALB and function URL events), runs it through the app's pipeline as an
    /// <c>HttpContext</c> with its own DI scope, and posts the response in the shape the event's source expects. An event that
    /// is not an HTTP request is answered <c>Runtime.InvalidEvent</c> and the next one is served. The invocation is reachable
    /// from the request as <see cref="Portable.AspNetCore.ILambdaInvocationFeature"/>. Responses are buffered unless the
    /// configuration key <c>Portable:Lambda:ResponseStreaming</c> is <c>true</c>: function URL responses are then streamed as they
    /// are written (set the function URL's <c>InvokeMode</c> to <c>RESPONSE_STREAM</c>); <c>FunctionUrlAndRestApi</c> streams
    /// REST API responses too (integrations with <c>responseTransferMode: STREAM</c>). Elsewhere nothing is added.
    /// Calling it twice is harmless.
    /// </remarks>
    /// <param name="builder">The app's builder, from <c>WebApplication.CreateBuilder</c> or <c>CreateSlimBuilder</c>.</param>
    /// <returns>The builder, so that further calls can be chained.</returns>
    public static WebApplicationBuilder AddPortable(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var runtimeApi = builder.Configuration[LambdaServer.RuntimeApiVariable] ?? Environment.GetEnvironmentVariable(LambdaServer.RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(runtimeApi)) return builder; // not on Lambda: Kestrel, as the app was written

        builder.Services.RemoveAll<IServer>();
        builder.Services.AddSingleton<IServer>(services => new LambdaServer(
            runtimeApi,
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<IHostApplicationLifetime>(),
            LambdaResponseStreamingSetting.Read(services.GetRequiredService<IConfiguration>())));
        return builder;
    }
}
