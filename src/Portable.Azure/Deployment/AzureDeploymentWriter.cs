using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Portable.Azure.Bindings;
using Portable.Hosting;

namespace Portable.Azure.Deployment;

/// <summary>
/// Writes what Azure Functions needs next to the published executable: <c>host.json</c> (version 2.0, the custom handler's
/// executable, HTTP forwarding where it applies, extension bundle <c>[4.*, 5.0.0)</c>, route prefix <c>""</c> unless configured,
/// the largest declared timeout), one folder per function with its <c>function.json</c> (the trigger, <c>authLevel: function</c>
/// unless the function allows anonymous callers, and a <c>queue</c> output for each queue the function declares it sends to), <c>main.bicep</c>
/// (the infrastructure, <see cref="AzureBicepTemplate"/>), <c>.funcignore</c> and a <c>local.settings.json</c> example; then prints
/// the <see cref="DeploymentReport"/>. The folder is then ready for zip deploy. The host forwards only functions with one HTTP
/// trigger and one HTTP output, so an HTTP function that declares sends is invoked with <c>Data.req</c> instead.
/// </summary>
internal static class AzureDeploymentWriter
{
    public const string ExtensionBundleVersion = "[4.*, 5.0.0)";

    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static async Task WriteAsync(PortableApp app, string outputDirectory, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Path.GetFullPath(outputDirectory), "appsettings.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .Build();
        var options = AzureOptions.FromConfiguration(configuration);
        var report = await WriteAsync(app.Catalog, options, ExecutableName(), outputDirectory, cancellationToken).ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"Portable.Azure wrote host.json, {app.Catalog.Functions.Count} function.json, main.bicep and .funcignore to {outputDirectory}. Deploy with: az deployment group create -g <resource-group> -f {Path.Combine(outputDirectory, "main.bicep")}").ConfigureAwait(false);
        await report.WriteAsync(Console.Out, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The files a deployment package leaves out (<c>.funcignore</c>, read by <c>func azure functionapp publish</c>): symbols, XML docs, local settings and the template.</summary>
    public const string FuncIgnore = "*.dbg\n*.pdb\n*.xml\nlocal.settings.json\nmain.bicep\n.funcignore\n*.zip\n";

    public static async Task<DeploymentReport> WriteAsync(FunctionCatalog catalog, AzureOptions options, string executable, string outputDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        var report = new DeploymentReport("Azure");
        var template = AzureBicepTemplate.Build(catalog, options, catalog.Secrets, report);
        var forward = options.ForwardHttpRequests && catalog.Functions.Any(f => f.Trigger.Kind == TriggerKind.Http);
        var timeout = catalog.Functions.Count == 0 ? (TimeSpan?)null : catalog.Functions.Max(f => f.Settings.Timeout);
        await File.WriteAllBytesAsync(Path.Combine(outputDirectory, "host.json"), HostJson(executable, forward, options, timeout), cancellationToken).ConfigureAwait(false);
        foreach (var function in catalog.Functions)
        {
            var folder = Path.Combine(outputDirectory, function.Name);
            Directory.CreateDirectory(folder);
            await File.WriteAllBytesAsync(Path.Combine(folder, "function.json"), FunctionJson(function, options), cancellationToken).ConfigureAwait(false);
        }

        await File.WriteAllBytesAsync(Path.Combine(outputDirectory, "local.settings.json"), LocalSettings(catalog, options), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "main.bicep"), template, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, ".funcignore"), FuncIgnore, cancellationToken).ConfigureAwait(false);
        return report;
    }

    internal static byte[] HostJson(string executable, bool forward, AzureOptions options, TimeSpan? timeout = null) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("version", "2.0");
        if (timeout is { } t) json.WriteString("functionTimeout", t.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteStartObject("logging");
        json.WriteStartObject("logLevel");
        json.WriteString("default", "Information");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("extensionBundle");
        json.WriteString("id", "Microsoft.Azure.Functions.ExtensionBundle");
        json.WriteString("version", ExtensionBundleVersion);
        json.WriteEndObject();
        json.WriteStartObject("customHandler");
        json.WriteStartObject("description");
        json.WriteString("defaultExecutablePath", executable);
        json.WriteString("workingDirectory", "");
        json.WriteStartArray("arguments");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteBoolean("enableForwardingHttpRequest", forward);
        json.WriteEndObject();
        json.WriteStartObject("extensions");
        json.WriteStartObject("http");
        json.WriteString("routePrefix", options.NormalizedRoutePrefix);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    });

    internal static byte[] FunctionJson(FunctionDefinition function, AzureOptions options) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteStartArray("bindings");
        var trigger = function.Trigger;
        switch (trigger.Kind)
        {
            case TriggerKind.Http:
                json.WriteStartObject();
                json.WriteString("type", "httpTrigger");
                json.WriteString("direction", "in");
                json.WriteString("name", BindingNames.HttpRequest);
                json.WriteString("authLevel", function.Settings.Access == FunctionAccess.Anonymous ? "anonymous" : "function");
                if (trigger.Method != "*")
                {
                    json.WriteStartArray("methods");
                    json.WriteStringValue(trigger.Method!.ToLowerInvariant());
                    if (trigger.Method == "GET") json.WriteStringValue("head");
                    json.WriteEndArray();
                }

                json.WriteString("route", trigger.Route!.Trim('/'));
                json.WriteEndObject();
                json.WriteStartObject();
                json.WriteString("type", "http");
                json.WriteString("direction", "out");
                json.WriteString("name", BindingNames.HttpResponse);
                json.WriteEndObject();
                break;
            case TriggerKind.Queue:
                json.WriteStartObject();
                json.WriteString("type", "queueTrigger");
                json.WriteString("direction", "in");
                json.WriteString("name", BindingNames.QueueMessage);
                json.WriteString("queueName", trigger.Name);
                json.WriteString("connection", options.StorageConnection);
                json.WriteEndObject();
                break;
            case TriggerKind.Schedule:
                json.WriteStartObject();
                json.WriteString("type", "timerTrigger");
                json.WriteString("direction", "in");
                json.WriteString("name", BindingNames.Timer);
                json.WriteString("schedule", Ncrontab.FromCron(trigger.Cron!));
                json.WriteEndObject();
                break;
            case TriggerKind.Event or TriggerKind.Blob when options.BlobTriggers.TryGetValue(function.Name, out var path):
                json.WriteStartObject();
                json.WriteString("type", "blobTrigger");
                json.WriteString("direction", "in");
                json.WriteString("name", BindingNames.Blob);
                json.WriteString("path", path);
                json.WriteString("dataType", "binary");
                json.WriteString("connection", options.StorageConnection);
                json.WriteEndObject();
                break;
            default: // a topic subscription or a platform event: an Event Grid subscription delivers it
                json.WriteStartObject();
                json.WriteString("type", "eventGridTrigger");
                json.WriteString("direction", "in");
                json.WriteString("name", BindingNames.Event);
                json.WriteEndObject();
                break;
        }

        // Outputs for the declared sends only (FunctionDefinition.Sends): the handler collects exactly those, and decides from them
        // which HTTP functions the host forwards. What else the function uses (Uses) is granted by main.bicep's roles instead.
        var outputs = BindingNames.QueueOutputs(function);
        foreach (var queue in function.Sends)
        {
            json.WriteStartObject();
            json.WriteString("type", "queue");
            json.WriteString("direction", "out");
            json.WriteString("name", outputs[queue]);
            json.WriteString("queueName", queue);
            json.WriteString("connection", options.StorageConnection);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    internal static byte[] LocalSettings(FunctionCatalog catalog, AzureOptions options) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteBoolean("IsEncrypted", false);
        json.WriteStartObject("Values");
        json.WriteString("FUNCTIONS_WORKER_RUNTIME", "custom");
        json.WriteString(options.StorageConnection, "UseDevelopmentStorage=true");
        foreach (var topic in catalog.Topics)
        {
            var key = topic.Replace('-', '_');
            json.WriteString($"Portable__Azure__Topics__{key}__Endpoint", $"https://{topic}.<region>-1.eventgrid.azure.net/api/events");
            json.WriteString($"Portable__Azure__Topics__{key}__Key", "");
        }

        json.WriteEndObject();
        json.WriteEndObject();
    });

    private static string ExecutableName()
    {
        var process = Path.GetFileNameWithoutExtension(Environment.ProcessPath);
        if (!string.IsNullOrEmpty(process) && !process.Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return Path.GetFileName(Environment.ProcessPath)!;
        var name = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "app";
        return OperatingSystem.IsWindows() ? name + ".exe" : name;
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented)) write(json);
        return buffer.ToArray();
    }
}
