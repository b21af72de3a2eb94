using Portable.Aws.Deployment;
using Portable.Aws.Runtime;
using Portable.Hosting;

namespace Portable.Aws;

/// <summary>
/// The AWS Lambda platform: a custom runtime (<c>provided.al2023</c>, executable <c>bootstrap</c>) speaking the Lambda
/// Runtime API 2018-06-01. Detected by <c>AWS_LAMBDA_RUNTIME_API</c>; <c>_HANDLER</c> names the Portable function.
/// After a publish it writes <c>bootstrap</c>, a deployment zip and a SAM <c>template.yaml</c>.
/// </summary>
public sealed class AwsPlatform : IPortablePlatform, IDeploymentWriter
{
    private AwsPlatform()
    {
    }

    /// <summary>The one instance, registered by the build's generated platform list.</summary>
    public static AwsPlatform Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "aws";

    /// <inheritdoc />
    /// <remarks>True when <c>AWS_LAMBDA_RUNTIME_API</c> is set, as Lambda does for a custom runtime.</remarks>
    public bool IsDetected(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrWhiteSpace(environment("AWS_LAMBDA_RUNTIME_API"));
    }

    /// <inheritdoc />
    public async Task RunAsync(PortableApp app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var exitCode = await LambdaBootstrap.RunAsync(app, Environment.GetEnvironmentVariable, Console.Out, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0) Environment.ExitCode = exitCode;
    }

    /// <inheritdoc />
    public Task WriteDeploymentAsync(PortableApp app, string outputDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        return SamDeployment.WriteAsync(app.Catalog, outputDirectory, Environment.ProcessPath, cancellationToken, app.Configuration[SamTemplate.ResponseStreamingKey]);
    }
}
