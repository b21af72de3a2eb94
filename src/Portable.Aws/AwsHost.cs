using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Portable.Aws.Data;
using Portable.Aws.Events;
using Portable.Aws.Logging;
using Portable.Blobs;
using Portable.Hosting;

namespace Portable.Aws;

/// <summary>
/// Builds the services a Lambda process runs with: the app's own registrations, JSON-line logging, the executor, the event
/// dispatcher, and the DynamoDB, SQS, SNS and S3 ports. The AWS connection (HTTP client, region, credential chain,
/// <c>AWS_ENDPOINT_URL_*</c>) is a singleton created on first use, so a function that uses no port starts without it.
/// </summary>
internal static class AwsHost
{
    public static ServiceProvider BuildServices(PortableApp app, TextWriter logOutput, Func<string, string?> environment, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        foreach (var descriptor in app.Services) services.Add(descriptor);
        services.AddPortableApp(app, "aws");
        var (level, categories) = JsonLineLoggerFactory.LevelsFrom(environment("AWS_LAMBDA_LOG_LEVEL"),
            app.Configuration.GetSection("Logging:LogLevel").GetChildren().Select(c => new KeyValuePair<string, string?>(c.Key, c.Value)));
        services.TryAddSingleton<ILoggerFactory>(new JsonLineLoggerFactory(logOutput, level, app.TimeProvider, categories));
        services.TryAdd(ServiceDescriptor.Singleton(typeof(ILogger<>), typeof(Logger<>)));
        services.TryAddSingleton<AwsEventDispatcher>();
        AddPorts(services, environment, app.TimeProvider);
        AddBuckets(services, app.Catalog);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public static void AddPorts(IServiceCollection services, Func<string, string?> environment, TimeProvider time)
    {
        services.TryAddSingleton(new AwsResourceNames(environment));
        services.TryAddSingleton(_ => new AwsConnection(environment, time));
        services.TryAddSingleton(typeof(IRepository<>), typeof(DynamoDbRepository<>));
        services.TryAddSingleton(typeof(IQueue<>), typeof(SqsQueue<>));
        services.TryAddSingleton<INotifier, SnsNotifier>();
    }

    /// <summary>One <see cref="S3BlobStore"/> a declared bucket, keyed by its name (<c>[FromKeyedServices("receipts")] IBlobStore</c>).</summary>
    public static void AddBuckets(IServiceCollection services, FunctionCatalog catalog)
    {
        foreach (var bucket in catalog.Buckets)
        {
            services.TryAddKeyedSingleton<IBlobStore>(bucket, (sp, _) => new S3BlobStore(
                bucket, sp.GetRequiredService<AwsConnection>(), sp.GetRequiredService<AwsResourceNames>(), sp.GetService<ILogger<S3BlobStore>>()));
        }
    }

    /// <summary>The function <c>_HANDLER</c> names; the only function when it is unset and there is one.</summary>
    /// <exception cref="PortableConfigurationException">The name is unknown, or missing with several functions.</exception>
    public static FunctionDefinition ResolveHandler(FunctionCatalog catalog, string? handler)
    {
        var function = !string.IsNullOrWhiteSpace(handler) ? catalog.Get(handler.Trim())
            : catalog.Functions.Count == 1 ? catalog.Functions[0]
            : null;
        if (function is not null)
        {
            FunctionCatalog.Validate(function); // the one function this process runs: its JSON metadata now (an init error), the rest never
            return function;
        }

        throw new PortableConfigurationException(
            $"_HANDLER is not set, and this app has {catalog.Functions.Count} functions. Set the function's Handler to one of: {string.Join(", ", catalog.Functions.Select(f => f.Name))}.");
    }
}
