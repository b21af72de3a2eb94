using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portable.Azure.Deployment;
using Portable.Hosting;
using static Portable.Azure.Deployment.AzureBicepTemplate;

namespace Portable.Azure.Tests;

/// <summary>
/// Issue #13's Azure acceptance on the written <c>main.bicep</c>: it compiles and lints with zero diagnostics (Bicep CLI
/// <see cref="BicepCli.Version"/>, offline), and the compiled ARM template has the resources, role assignments and Event Grid
/// subscription the catalog asks for.
/// </summary>
public sealed class BicepTemplateTests : IDisposable
{
    private const string IdentityPrincipal = "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('{0}-identity', parameters('appName'))), '2023-01-31').principalId]";
    private const string StorageScope = "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "portable-azure-bicep-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static PortableApp Orders(Action<PortableAppBuilder>? more = null)
    {
        var builder = PortableApp.CreateBuilder([]);
        global::Orders.OrdersApp.Configure(builder);
        more?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>Writes the deployment files of a catalog, lints and builds main.bicep (any diagnostic fails), and reads the ARM JSON.</summary>
    private async Task<(string Bicep, ArmTemplate Arm, DeploymentReport Report)> CompileAsync(FunctionCatalog catalog)
    {
        var report = await AzureDeploymentWriter.WriteAsync(catalog, new AzureOptions(), "Orders", _folder, CancellationToken.None);
        var bicep = Path.Combine(_folder, "main.bicep");
        await BicepCli.LintAsync(bicep);
        return (await File.ReadAllTextAsync(bicep), new ArmTemplate(await BicepCli.BuildAsync(bicep)), report);
    }

    private static Dictionary<string, string> AppSettings(ArmTemplate arm)
        => Assert.Single(arm.OfType("Microsoft.Web/sites")).GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings")
            .EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString()!);

    private static JsonElement RoleAssignment(ArmTemplate arm, string role, string scope)
        => Assert.Single(arm.OfType("Microsoft.Authorization/roleAssignments"), r =>
            r.GetProperty("properties").GetProperty("roleDefinitionId").GetString() == $"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{role}')]"
            && r.GetProperty("scope").GetString() == scope);

    [Fact]
    public async Task OrdersTemplate_LintsAndBuildsWithoutAnyDiagnostic_IntoAnArmTemplateWithItsParameters()
    {
        var (_, arm, _) = await CompileAsync(Orders().Catalog);

        var parameters = arm.Root.GetProperty("parameters");
        Assert.Equal(["appName", "environmentName", "location", "storageAccountName", "subscribeFunctions"], parameters.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Production", parameters.GetProperty("environmentName").GetProperty("defaultValue").GetString());
        Assert.False(parameters.GetProperty("subscribeFunctions").GetProperty("defaultValue").GetBoolean());
    }

    [Fact]
    public async Task OrdersTemplate_HasAStorageAccountWithoutSharedKeys_TheQueueWithItsPoisonQueue_BothTables_AndTheContainers()
    {
        var (bicep, arm, _) = await CompileAsync(Orders().Catalog);

        var storage = Assert.Single(arm.OfType("Microsoft.Storage/storageAccounts")).GetProperty("properties");
        Assert.False(storage.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(storage.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal(["'order-placed'", "'order-placed-poison'"], arm.OfType("Microsoft.Storage/storageAccounts/queueServices/queues").Select(Leaf).Order(StringComparer.Ordinal));
        Assert.Equal(["'audits'", "'orders'"], arm.OfType("Microsoft.Storage/storageAccounts/tableServices/tables").Select(Leaf).Order(StringComparer.Ordinal));
        Assert.Equal([$"'{DeploymentContainer}'", $"'{DeadLetterContainer}'", "'imports'", "'receipts'"], arm.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Select(Leaf).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("listKeys", bicep, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", bicep, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdersTemplate_FunctionApp_IsAFlexConsumptionCustomHandler_WithIdentityBasedStorage_AndPortablesSettings()
    {
        var (_, arm, report) = await CompileAsync(Orders().Catalog);

        var plan = Assert.Single(arm.OfType("Microsoft.Web/serverfarms"));
        Assert.Equal(("FC1", "FlexConsumption"), (plan.GetProperty("sku").GetProperty("name").GetString(), plan.GetProperty("sku").GetProperty("tier").GetString()));
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean()); // Linux
        var app = Assert.Single(arm.OfType("Microsoft.Web/sites"));
        Assert.Equal("functionapp,linux", app.GetProperty("kind").GetString());
        Assert.Equal("UserAssigned", app.GetProperty("identity").GetProperty("type").GetString());
        var config = app.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal("custom", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal(512, config.GetProperty("scaleAndConcurrency").GetProperty("instanceMemoryMB").GetInt32()); // Orders declares 256 MB
        Assert.Equal("blobContainer", config.GetProperty("deployment").GetProperty("storage").GetProperty("type").GetString());
        Assert.Equal("UserAssignedIdentity", config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());

        var settings = AppSettings(arm);
        Assert.Equal("[parameters('storageAccountName')]", settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal(settings["AZURE_CLIENT_ID"], settings["AzureWebJobsStorage__clientId"]);
        Assert.Contains("clientId", settings["AZURE_CLIENT_ID"], StringComparison.Ordinal);
        Assert.Equal("[parameters('environmentName')]", settings["DOTNET_ENVIRONMENT"]);
        Assert.Contains(".endpoint]", settings["Portable__Azure__Topics__order_confirmations__Endpoint"], StringComparison.Ordinal);
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys); // Flex Consumption refuses it: the runtime is functionAppConfig's
        Assert.DoesNotContain(settings.Keys, k => k.EndsWith("__Key", StringComparison.Ordinal)); // Event Grid by identity, no key

        Assert.DoesNotContain(report.Entries, e => e.CannotHonour); // the sample publishes with zero warnings
        Assert.Contains(report.Entries, e => e.Subject == "app" && e.Text.Contains("512 MB", StringComparison.Ordinal));
        Assert.Contains(report.Entries, e => e.Subject == "app" && e.Text.Contains("one identity", StringComparison.Ordinal)); // Hello uses nothing, GetOrder a table
    }

    [Fact]
    public async Task OrdersTemplate_RoleAssignments_GiveTheAppsIdentity_BlobOwnerQueueAndTableContributor_OnTheStorageAccount_AndDataSender_OnTheTopic()
    {
        var (_, arm, _) = await CompileAsync(Orders().Catalog);
        var topic = Assert.Single(arm.OfType("Microsoft.EventGrid/topics"));
        var topicScope = $"[resourceId('Microsoft.EventGrid/topics', {topic.GetProperty("name").GetString()![1..^1]})]";

        foreach (var (role, scope) in new[]
        {
            (Roles.StorageBlobDataOwner, StorageScope),
            (Roles.StorageQueueDataContributor, StorageScope),
            (Roles.StorageTableDataContributor, StorageScope),
            (Roles.EventGridDataSender, topicScope),
        })
        {
            var assignment = RoleAssignment(arm, role, scope).GetProperty("properties");
            Assert.Equal(IdentityPrincipal, assignment.GetProperty("principalId").GetString());
            Assert.Equal("ServicePrincipal", assignment.GetProperty("principalType").GetString());
        }

        // The Event Grid identities may write dead letters into the dead-letter container, and nothing else: the topic's (for
        // AuditConfirmation) and the storage account's system topic's (for ImportOrders' blob events).
        var deadLetterScope = $"[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', parameters('storageAccountName'), 'default', '{DeadLetterContainer}')]";
        var deadLetters = arm.OfType("Microsoft.Authorization/roleAssignments")
            .Where(r => r.GetProperty("scope").GetString() == deadLetterScope)
            .Select(r => r.GetProperty("properties"))
            .ToList();
        Assert.All(deadLetters, d => Assert.Equal($"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{Roles.StorageBlobDataContributor}')]", d.GetProperty("roleDefinitionId").GetString()));
        Assert.Equal(["Microsoft.EventGrid/systemTopics", "Microsoft.EventGrid/topics"], deadLetters
            .Select(d => d.GetProperty("principalId").GetString()!)
            .Select(p => p.Contains("Microsoft.EventGrid/systemTopics", StringComparison.Ordinal) ? "Microsoft.EventGrid/systemTopics" : p.Contains("Microsoft.EventGrid/topics", StringComparison.Ordinal) ? "Microsoft.EventGrid/topics" : p)
            .Order(StringComparer.Ordinal));
        Assert.Equal(6, arm.OfType("Microsoft.Authorization/roleAssignments").Count);
    }

    [Fact]
    public async Task OrdersTemplate_AuditConfirmation_GetsOneEventGridSubscriptionOnItsTopic_DeliveringToIt_WithRetriesAndDeadLettering()
    {
        var (_, arm, _) = await CompileAsync(Orders().Catalog);

        var topic = Assert.Single(arm.OfType("Microsoft.EventGrid/topics"));
        Assert.StartsWith("[format('order-confirmations-{0}'", topic.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal("CloudEventSchemaV1_0", topic.GetProperty("properties").GetProperty("inputSchema").GetString());
        var subscription = Assert.Single(arm.OfType("Microsoft.EventGrid/topics/eventSubscriptions"));
        Assert.EndsWith("'AuditConfirmation')]", subscription.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal("[parameters('subscribeFunctions')]", subscription.GetProperty("condition").GetString());
        var properties = subscription.GetProperty("properties");
        Assert.Equal("AzureFunction", properties.GetProperty("destination").GetProperty("endpointType").GetString());
        Assert.Equal("[format('{0}/functions/AuditConfirmation', resourceId('Microsoft.Web/sites', parameters('appName')))]", properties.GetProperty("destination").GetProperty("properties").GetProperty("resourceId").GetString());
        Assert.Equal(MaxDeliveryAttempts, properties.GetProperty("retryPolicy").GetProperty("maxDeliveryAttempts").GetInt32());
        Assert.Equal(EventTimeToLiveMinutes, properties.GetProperty("retryPolicy").GetProperty("eventTimeToLiveInMinutes").GetInt32());
        var deadLetter = properties.GetProperty("deadLetterWithResourceIdentity");
        Assert.Equal("SystemAssigned", deadLetter.GetProperty("identity").GetProperty("type").GetString());
        Assert.Equal("StorageBlob", deadLetter.GetProperty("deadLetterDestination").GetProperty("endpointType").GetString());
        Assert.Equal(DeadLetterContainer, deadLetter.GetProperty("deadLetterDestination").GetProperty("properties").GetProperty("blobContainerName").GetString());
        Assert.Equal(StorageScope, deadLetter.GetProperty("deadLetterDestination").GetProperty("properties").GetProperty("resourceId").GetString());
    }

    [Fact]
    public async Task DeclaredSecret_IsAKeyVaultReferenceNamedByAParameter_ReadWithTheSecretsUserRole_AndItsValueIsNeverWritten()
    {
        const string value = "sk-live-do-not-write-4711";
        var app = Orders(builder =>
        {
            builder.Resources.AddSecret("PaymentsApiKey");
            builder.Configuration["PaymentsApiKey"] = value;
        });
        Environment.SetEnvironmentVariable("PaymentsApiKey", value);
        try
        {
            var (bicep, arm, _) = await CompileAsync(app.Catalog);

            Assert.DoesNotContain(value, bicep, StringComparison.Ordinal);
            Assert.DoesNotContain(value, arm.Root.GetRawText(), StringComparison.Ordinal);
            Assert.Equal("[format('@Microsoft.KeyVault(VaultName={0};SecretName={1})', parameters('keyVaultName'), parameters('paymentsApiKeySecretName'))]", AppSettings(arm)["PaymentsApiKey"]);
            var parameters = arm.Root.GetProperty("parameters");
            Assert.Equal("PaymentsApiKey", parameters.GetProperty("paymentsApiKeySecretName").GetProperty("defaultValue").GetString());
            Assert.False(parameters.GetProperty("keyVaultName").TryGetProperty("defaultValue", out _));
            var site = Assert.Single(arm.OfType("Microsoft.Web/sites")).GetProperty("properties");
            Assert.Equal("[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('{0}-identity', parameters('appName')))]", site.GetProperty("keyVaultReferenceIdentity").GetString());
            var role = RoleAssignment(arm, Roles.KeyVaultSecretsUser, "[resourceId('Microsoft.KeyVault/vaults', parameters('keyVaultName'))]");
            Assert.Equal(IdentityPrincipal, role.GetProperty("properties").GetProperty("principalId").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("PaymentsApiKey", null);
        }
    }

    [Fact]
    public async Task TemplateWithoutSecrets_HasNoKeyVaultParameterOrRole()
    {
        var (bicep, _, _) = await CompileAsync(Orders().Catalog);

        Assert.DoesNotContain("keyVault", bicep, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DeclaredSettings_SetTheInstanceMemoryAndMaximumInstances_AppWide_AndTheReportSaysSo()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AddJson(TestJson.Default);
        builder.Services.AddSingleton(new Probe());
        builder.Functions
            .MapHttp<Upper, Echo, Echo>("POST /upper", name: "Upper").WithMemory(1024).WithMaxConcurrency(20)
            .MapQueue<ProcessOrder, QueueItem>("orders-in", name: "ProcessOrder").WithMemory(3000).WithMaxConcurrency(200).WithTimeout(TimeSpan.FromMinutes(10));
        var (_, arm, report) = await CompileAsync(builder.Build().Catalog);

        var scale = Assert.Single(arm.OfType("Microsoft.Web/sites")).GetProperty("properties").GetProperty("functionAppConfig").GetProperty("scaleAndConcurrency");
        Assert.Equal(4096, scale.GetProperty("instanceMemoryMB").GetInt32());
        Assert.Equal(200, scale.GetProperty("maximumInstanceCount").GetInt32());
        Assert.Contains(report.Entries, e => !e.CannotHonour && e.Subject == "app" && e.Text.Contains("4096 MB", StringComparison.Ordinal) && e.Text.Contains("ProcessOrder", StringComparison.Ordinal));
        Assert.Contains(report.Entries, e => !e.CannotHonour && e.Subject == "app" && e.Text.Contains("maximumInstanceCount is 200", StringComparison.Ordinal));
        Assert.Contains(report.Entries, e => !e.CannotHonour && e.Subject == "Upper" && e.Text.Contains("app-wide limit of 200", StringComparison.Ordinal));
        Assert.Equal("00:10:00", JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "host.json"))).RootElement.GetProperty("functionTimeout").GetString());
        Assert.DoesNotContain(report.Entries, e => e.CannotHonour);
    }

    [Theory]
    [InlineData(256, 512)]
    [InlineData(512, 512)]
    [InlineData(513, 2048)]
    [InlineData(2048, 2048)]
    [InlineData(4096, 4096)]
    [InlineData(10240, 4096)]
    public void InstanceMemory_IsTheSmallestFlexSizeThatHoldsTheDeclaredMemory(int declared, int instance) => Assert.Equal(instance, InstanceMemory(declared));

    [Fact]
    public void Arm64Declared_IsReportedAsCannotHonour_SinceFlexConsumptionIsX64Only()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AddJson(TestJson.Default);
        builder.Functions.MapHttp<Upper, Echo, Echo>("POST /upper", name: "Upper").WithArchitecture(FunctionArchitecture.Arm64);
        var report = new DeploymentReport("Azure");

        AzureBicepTemplate.Build(builder.Build().Catalog, new AzureOptions(), [], report);

        var entry = Assert.Single(report.Entries, e => e.CannotHonour);
        Assert.Equal("Upper", entry.Subject);
        Assert.Contains("arm64", entry.Text, StringComparison.Ordinal);
        Assert.StartsWith("Portable : warning PORTABLE001: Azure: Upper: ", report.Format(entry), StringComparison.Ordinal);
    }

    [Fact]
    public void MemoryOverFlexConsumptionsLargestInstance_IsReportedAsCannotHonour()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AddJson(TestJson.Default);
        builder.Functions.MapHttp<Upper, Echo, Echo>("POST /upper", name: "Upper").WithMemory(8192);
        var report = new DeploymentReport("Azure");

        AzureBicepTemplate.Build(builder.Build().Catalog, new AzureOptions(), [], report);

        var entry = Assert.Single(report.Entries, e => e.CannotHonour);
        Assert.Equal("Upper", entry.Subject);
        Assert.Contains("8192 MB", entry.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryHttpFunction_IsAuthLevelFunction_ExceptTheAnonymousHello()
    {
        await AzureDeploymentWriter.WriteAsync(Orders().Catalog, new AzureOptions(), "Orders", _folder, CancellationToken.None);

        foreach (var (function, level) in new[] { ("PlaceOrder", "function"), ("GetOrder", "function"), ("Hello", "anonymous") })
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, function, "function.json")));
            var trigger = json.RootElement.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal(level, trigger.GetProperty("authLevel").GetString());
        }
    }

    [Fact]
    public async Task FuncIgnore_IsWrittenNextToHostJson_LeavingOutSymbolsDocsLocalSettingsAndTheTemplate()
    {
        await AzureDeploymentWriter.WriteAsync(Orders().Catalog, new AzureOptions(), "Orders", _folder, CancellationToken.None);

        var lines = File.ReadAllLines(Path.Combine(_folder, ".funcignore"));
        Assert.Subset(lines.ToHashSet(), new HashSet<string> { "*.dbg", "*.pdb", "*.xml", "local.settings.json", "main.bicep" });
    }

    /// <summary>The last segment of a child resource's ARM name expression: <c>'order-placed'</c> of <c>[format('{0}/{1}/{2}', …, 'order-placed')]</c>.</summary>
    private static string Leaf(JsonElement resource)
    {
        var name = resource.GetProperty("name").GetString()!;
        return name[(name.LastIndexOf(", ", StringComparison.Ordinal) + 2)..^2];
    }
}
