using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portable.Aws.Events;
using Portable.Hosting;

namespace Portable.Aws.Runtime;

/// <summary>
/// Runs a Portable app's functions on Lambda inside another host's DI container (the ASP.NET Core bridge's: an app whose
/// endpoints and Portable functions share one container): the same event dispatch and ports as <see cref="AwsPlatform"/>, with
/// the host's own services, logging and lifetime.
/// </summary>
public static class LambdaFunctionHost
{
    /// <summary>
    /// Adds the app's functions and the AWS ports to <paramref name="services"/>: <see cref="HostServices.AddPortableApp"/> for
    /// <c>aws</c>, the event dispatcher, and <see cref="IRepository{T}"/> on DynamoDB, <see cref="IQueue{T}"/> on SQS and
    /// <see cref="INotifier"/> on SNS (resource names and endpoints from the environment, as for <see cref="AwsPlatform"/>).
    /// Each registration is skipped when one is already there.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="app">The built Portable app.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLambdaFunctions(this IServiceCollection services, PortableApp app, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(environment);
        services.AddPortableApp(app, AwsPlatform.Instance.Name);
        services.TryAddSingleton<AwsEventDispatcher>();
        AwsHost.AddPorts(services, environment, app.TimeProvider);
        return services;
    }

    /// <summary>
    /// The <see cref="LambdaRuntimeLoop"/> handler that runs one Portable function on each event (SQS, SNS, EventBridge, S3 or a
    /// direct invocation), as a Portable Lambda function does: partial batch failures, <c>Runtime.InvalidEvent</c> for an event it
    /// cannot read.
    /// </summary>
    /// <param name="services">Services built from a collection given to <see cref="AddLambdaFunctions"/>.</param>
    /// <param name="functionName">The function, as <c>_HANDLER</c> names it.</param>
    /// <returns>The handler.</returns>
    /// <exception cref="PortableConfigurationException">The app has no such function, or its types have no JSON metadata.</exception>
    public static Func<LambdaInvocation, CancellationToken, Task<ReadOnlyMemory<byte>>> CreateHandler(IServiceProvider services, string functionName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        var dispatcher = services.GetRequiredService<AwsEventDispatcher>();
        var function = AwsHost.ResolveHandler(dispatcher.Catalog, functionName);
        return (invocation, cancellationToken) => dispatcher.DispatchAsync(function, invocation, cancellationToken);
    }
}
