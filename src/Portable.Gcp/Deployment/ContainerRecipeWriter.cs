using System.Text;
using Portable.Gcp.PubSub;
using Portable.Hosting;

namespace Portable.Gcp.Deployment;

/// <summary>
/// Writes what deploys the published app to Google Cloud, next to it: a <c>Dockerfile</c> (the native binary on
/// <c>runtime-deps</c>, or the DLL on <c>aspnet</c> for a JIT publish), <c>.dockerignore</c>, <c>deploy.sh</c> (<see cref="DeployScript"/>)
/// and <c>gcp-deploy.md</c>, which explains it. What the app declares and Google Cloud cannot honour is reported at publish
/// (a <c>PORTABLE001</c> warning), and what differs from the other clouds is noted, in the output and in <c>gcp-deploy.md</c>.
/// </summary>
internal static class ContainerRecipeWriter
{
    /// <summary>How the report names this cloud.</summary>
    public const string Cloud = "Google Cloud";

    public static async Task WriteAsync(PortableApp app, string folder, CancellationToken cancellationToken)
    {
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? app.Catalog.AppName;
        var jit = File.Exists(Path.Combine(folder, entry + ".dll"));
        if (!jit && ExecutableArchitecture.Read(Path.Combine(folder, entry)) == FunctionArchitecture.Arm64)
        {
            throw new PortableConfigurationException(
                $"{entry} was published for linux-arm64, but Cloud Run runs x86_64 (linux/amd64) containers only. Publish with -r linux-x64 for Google Cloud.");
        }

        var catalog = app.Catalog;
        var secrets = catalog.Secrets;
        var report = new DeploymentReport(Cloud);
        Review(catalog, report);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "Dockerfile"), Dockerfile(entry, jit), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, ".dockerignore"), "Dockerfile\n.dockerignore\ndeploy.sh\ngcp-deploy.md\n*.pdb\n*.dbg\n", cancellationToken).ConfigureAwait(false);
        var script = Path.Combine(folder, "deploy.sh");
        await File.WriteAllTextAsync(script, DeployScript.Build(catalog, secrets), cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "gcp-deploy.md"), DeployGuide.Build(catalog, secrets, report), cancellationToken).ConfigureAwait(false);
        await report.WriteAsync(Console.Out, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reports what the app declares and Google Cloud cannot honour (arm64, a push-triggered timeout past Pub/Sub's 600 s, an event
    /// type Eventarc cannot filter on), and notes what behaves differently here (queue delays and deduplication on Pub/Sub, what
    /// a maximum concurrency means on Cloud Run).
    /// </summary>
    internal static void Review(FunctionCatalog catalog, DeploymentReport report)
    {
        foreach (var function in catalog.Functions)
        {
            var settings = function.Settings;
            if (settings.Architecture == FunctionArchitecture.Arm64)
            {
                report.CannotHonour(function.Name, "declares arm64, but Cloud Run runs x86_64 (linux/amd64) containers only; it is deployed as x86_64.");
            }

            var seconds = (int)settings.Timeout.TotalSeconds;
            if (function.Trigger.Kind is TriggerKind.Queue or TriggerKind.Topic && seconds > DeployScript.MaxAckDeadlineSeconds)
            {
                report.CannotHonour(function.Name,
                    $"its timeout is {seconds} s, but Pub/Sub waits at most {DeployScript.MaxAckDeadlineSeconds} s for a push to be answered: a message still being handled then is delivered again. Keep the work under {DeployScript.MaxAckDeadlineSeconds} s or split it.");
            }

            if (function.Trigger.Kind == TriggerKind.Event && !DeployScript.IsExactEventType(function.Trigger.EventType!))
            {
                report.CannotHonour(function.Name,
                    $"its event type '{function.Trigger.EventType}' is not one exact type, and an Eventarc trigger filters on one: deploy.sh deploys the service but creates no trigger. Map one exact type per function.");
            }

            if (settings.MaxConcurrency is { } instances)
            {
                report.Note(function.Name,
                    $"maximum concurrency {instances} is Cloud Run's --max-instances {instances}; each instance takes up to {DeployScript.RequestsPerInstance} requests at once, so up to {instances * DeployScript.RequestsPerInstance} can run together.");
            }
        }

        var capabilities = PubSubPublisher.QueueCapabilities;
        foreach (var queue in catalog.Queues)
        {
            if (!capabilities.DelayedDelivery)
            {
                report.Note(queue.Name, $"delayed sends (SendOptions.Delay) are not supported on {capabilities.Service} and throw NotSupportedException; {capabilities.DelayAlternative}.");
            }

            if (!capabilities.Deduplication)
            {
                report.Note(queue.Name, $"deduplication ids (SendOptions.DeduplicationId) are carried but not enforced on {capabilities.Service}; make its handler idempotent.");
            }
        }
    }

    internal static string Dockerfile(string entry, bool jit)
    {
        var builder = new StringBuilder();
        builder.AppendLine("# Generated by Portable.Gcp from the published app. Build context: this folder.");
        builder.AppendLine(jit ? "FROM mcr.microsoft.com/dotnet/aspnet:10.0" : "FROM mcr.microsoft.com/dotnet/runtime-deps:10.0");
        builder.AppendLine("WORKDIR /app");
        builder.AppendLine("COPY . .");
        builder.AppendLine("ENV PORT=8080 DOTNET_RUNNING_IN_CONTAINER=true");
        builder.AppendLine("EXPOSE 8080");
        builder.AppendLine("USER $APP_UID");
        builder.AppendLine(jit ? $"ENTRYPOINT [\"dotnet\", \"{entry}.dll\"]" : $"ENTRYPOINT [\"./{entry}\"]");
        return builder.ToString();
    }
}
