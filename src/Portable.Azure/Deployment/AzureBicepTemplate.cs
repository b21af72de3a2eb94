using System.Globalization;
using Portable.Azure.Data;
using Portable.Blobs;
using Portable.Hosting;

namespace Portable.Azure.Deployment;

/// <summary>
/// Writes <c>main.bicep</c> from the function catalog, for <c>az deployment group create -g RG -f main.bicep</c>: a storage account
/// without shared keys, its queues and tables, a Flex Consumption function app running the custom handler, a user-assigned
/// managed identity with data-plane roles, an Event Grid topic per topic with one subscription per <c>Topic</c> function
/// (dead-lettered to a blob container, with a retry policy), and Key Vault references for the declared secrets. What the
/// catalog declares that Flex Consumption cannot do, or does app-wide, goes to the <see cref="DeploymentReport"/>.
/// </summary>
internal static class AzureBicepTemplate
{
    /// <summary>The blob container Flex Consumption deploys the app's package to.</summary>
    public const string DeploymentContainer = "app-package";

    /// <summary>The blob container Event Grid writes undeliverable events to.</summary>
    public const string DeadLetterContainer = "dead-letters";

    /// <summary>How often Event Grid tries to deliver an event before dead-lettering it: 5, as the Storage queue trigger's <c>maxDequeueCount</c> and SQS's redrive here.</summary>
    public const int MaxDeliveryAttempts = 5;

    /// <summary>How long Event Grid keeps retrying an event: one day, its default.</summary>
    public const int EventTimeToLiveMinutes = 1440;

    /// <summary>The instance memory sizes of Flex Consumption, in MB.</summary>
    public static readonly IReadOnlyList<int> InstanceMemorySizes = [512, 2048, 4096];

    /// <summary>Built-in role definition ids (the same in every Azure tenant).</summary>
    public static class Roles
    {
        public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
        public const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
        public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
        public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
        public const string EventGridDataSender = "d5a91429-5739-47e2-a06b-3470a27159e7";
        public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    }

    /// <summary>The name of the parameter that holds a secret's name in Key Vault: <c>paymentsApiKeySecretName</c> for <c>PaymentsApiKey</c>.</summary>
    public static string SecretParameter(string secret) => char.ToLowerInvariant(secret[0]) + secret[1..] + "SecretName";

    /// <summary>The instance memory for a declared memory: the smallest Flex Consumption size that holds it, at most 4096.</summary>
    public static int InstanceMemory(int memoryMb) => InstanceMemorySizes.FirstOrDefault(size => size >= memoryMb, InstanceMemorySizes[^1]);

    /// <summary>Writes the template.</summary>
    /// <param name="catalog">The app's catalog.</param>
    /// <param name="options">The Azure options (the storage connection setting's name).</param>
    /// <param name="secrets">The declared secrets.</param>
    /// <param name="report">Receives what Flex Consumption cannot honour or does differently.</param>
    /// <returns>The Bicep text.</returns>
    public static string Build(FunctionCatalog catalog, AzureOptions options, IReadOnlyList<string> secrets, DeploymentReport report)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(report);
        var functions = catalog.Functions;
        var memory = Memory(functions, report);
        var maxInstances = MaximumInstances(functions, report);
        ReportDifferences(catalog, report);

        var queues = catalog.Queues.Select(q => q.Name)
            .Concat(functions.Where(f => f.Trigger.Kind == TriggerKind.Queue).Select(f => f.Trigger.Name!))
            .Concat(functions.SelectMany(f => f.Uses.Queues))
            .Distinct(StringComparer.Ordinal).ToList();
        var tables = catalog.Repositories.Select(r => r.Name).Concat(functions.SelectMany(f => f.Uses.Repositories))
            .Distinct(StringComparer.Ordinal).ToList();
        var topics = catalog.Topics.Concat(functions.SelectMany(f => f.Uses.Topics)).Distinct(StringComparer.Ordinal).ToList();
        var published = functions.SelectMany(f => f.Uses.Topics).ToHashSet(StringComparer.Ordinal);
        var subscribers = functions.Where(f => f.Trigger.Kind == TriggerKind.Topic).ToList();
        var buckets = catalog.Buckets.Concat(functions.SelectMany(f => f.Uses.Buckets))
            .Concat(functions.Where(f => f.Trigger.Kind == TriggerKind.Blob).Select(f => f.Trigger.Name!))
            .Distinct(StringComparer.Ordinal).ToList();
        // Blob functions fed by Event Grid (the default; BlobTriggers names the ones on a classic blob trigger instead).
        var blobSubscribers = functions.Where(f => f.Trigger.Kind == TriggerKind.Blob && !options.BlobTriggers.ContainsKey(f.Name)).ToList();
        var subscribes = subscribers.Count > 0 || blobSubscribers.Count > 0;

        var b = new BicepWriter();
        Header(b, catalog, subscribes);
        Parameters(b, catalog, secrets, subscribes);
        b.Line();

        b.Line("// The app's one identity: every function of a function app runs as it, so least privilege is per app on Azure.");
        b.Block("resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' =", () =>
        {
            b.Line("name: '${appName}-identity'");
            b.Line("location: location");
        });
        b.Line();
        b.Line("// No shared keys: the host and the app reach storage with the identity (AzureWebJobsStorage__accountName and __credential).");
        b.Block("resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' =", () =>
        {
            b.Line("name: storageAccountName");
            b.Line("location: location");
            b.Line("kind: 'StorageV2'");
            b.Block("sku:", () => b.Line("name: 'Standard_LRS'"));
            b.Block("properties:", () =>
            {
                b.Line("allowBlobPublicAccess: false");
                b.Line("allowSharedKeyAccess: false");
                b.Line("defaultToOAuthAuthentication: true");
                b.Line("minimumTlsVersion: 'TLS1_2'");
                b.Line("supportsHttpsTrafficOnly: true");
            });
        });
        b.Line();
        b.Block("resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' =", () =>
        {
            b.Line("parent: storage");
            b.Line("name: 'default'");
        });
        b.Line();
        b.Block("resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' =", () =>
        {
            b.Line("parent: blobService");
            b.Line($"name: {BicepWriter.Quote(DeploymentContainer)}");
        });
        foreach (var bucket in buckets)
        {
            b.Line();
            b.Line($"// Bucket '{bucket}' (IBlobStore): a container of the same name; the identity reaches it through its Blob Data role on the account.");
            b.Block($"resource {b.Symbol("bucket", bucket)} 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' =", () =>
            {
                b.Line("parent: blobService");
                b.Line($"name: {BicepWriter.Quote(bucket)}");
            });
        }

        if (subscribes)
        {
            b.Line();
            b.Block("resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' =", () =>
            {
                b.Line("parent: blobService");
                b.Line($"name: {BicepWriter.Quote(DeadLetterContainer)}");
            });
        }

        if (queues.Count > 0)
        {
            b.Line();
            b.Block("resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' =", () =>
            {
                b.Line("parent: storage");
                b.Line("name: 'default'");
            });
            foreach (var queue in queues)
            {
                b.Line();
                b.Block($"resource {b.Symbol("queue", queue)} 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' =", () =>
                {
                    b.Line("parent: queueService");
                    b.Line($"name: {BicepWriter.Quote(queue)}");
                });
                var poison = queue + "-poison";
                if (poison.Length > 63) continue;
                b.Line();
                b.Line($"// Where the queue trigger moves a message after {MaxDeliveryAttempts} failed tries (the host's maxDequeueCount).");
                b.Block($"resource {b.Symbol("queue", poison)} 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' =", () =>
                {
                    b.Line("parent: queueService");
                    b.Line($"name: {BicepWriter.Quote(poison)}");
                });
            }
        }

        if (tables.Count > 0)
        {
            b.Line();
            b.Block("resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' =", () =>
            {
                b.Line("parent: storage");
                b.Line("name: 'default'");
            });
            foreach (var table in tables)
            {
                b.Line();
                b.Block($"resource {b.Symbol("table", table)} 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' =", () =>
                {
                    b.Line("parent: tableService");
                    b.Line($"name: {BicepWriter.Quote(TableRepository<object>.TableName(table))}");
                });
            }
        }

        var topicSymbols = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            var symbol = topicSymbols[topic] = b.Symbol("topic", topic);
            b.Line();
            b.Line($"// Portable topic '{topic}': CloudEvents 1.0 in, Entra ID only (no access keys).");
            b.Block($"resource {symbol} 'Microsoft.EventGrid/topics@2025-02-15' =", () =>
            {
                b.Line($"name: '{TopicName(topic)}-${{uniqueString(resourceGroup().id, appName)}}'");
                b.Line("location: location");
                if (subscribers.Any(f => f.Trigger.Name == topic)) b.Block("identity:", () => b.Line("type: 'SystemAssigned'"));
                b.Block("properties:", () =>
                {
                    b.Line("inputSchema: 'CloudEventSchemaV1_0'");
                    b.Line("disableLocalAuth: true");
                    b.Line("publicNetworkAccess: 'Enabled'");
                });
            });
        }

        b.Line();
        b.Block("resource plan 'Microsoft.Web/serverfarms@2024-04-01' =", () =>
        {
            b.Line("name: '${appName}-plan'");
            b.Line("location: location");
            b.Line("kind: 'functionapp'");
            b.Block("sku:", () =>
            {
                b.Line("name: 'FC1'");
                b.Line("tier: 'FlexConsumption'");
            });
            b.Block("properties:", () => b.Line("reserved: true"));
        });

        var storageRoles = new List<(string Symbol, string Role, string Why)>
        {
            ("storageBlobDataOwner", Roles.StorageBlobDataOwner, "the host's own storage, the deployment package (identity-based AzureWebJobsStorage) and the buckets' containers (IBlobStore, user delegation SAS): account scope, since they share the account"),
        };
        if (queues.Count > 0) storageRoles.Add(("storageQueueDataContributor", Roles.StorageQueueDataContributor, "queue triggers, queue outputs and IQueue<T>"));
        if (tables.Count > 0) storageRoles.Add(("storageTableDataContributor", Roles.StorageTableDataContributor, "IRepository<T> on Table Storage"));
        foreach (var (symbol, role, why) in storageRoles)
        {
            b.Line();
            b.Line($"// {why}");
            RoleAssignment(b, symbol, "storage", role, "identity.properties.principalId", "identity.id");
        }

        foreach (var topic in topics.Where(published.Contains))
        {
            b.Line();
            b.Line($"// INotifier publishes to '{topic}' with the identity's token.");
            RoleAssignment(b, topicSymbols[topic] + "DataSender", topicSymbols[topic], Roles.EventGridDataSender, "identity.properties.principalId", "identity.id");
        }

        if (secrets.Count > 0)
        {
            b.Line();
            b.Line("// The existing vault (Azure RBAC permission model) that holds the secrets; the app reads them through Key Vault references.");
            b.Block("resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing =", () => b.Line("name: keyVaultName"));
            b.Line();
            RoleAssignment(b, "vaultSecretsUser", "vault", Roles.KeyVaultSecretsUser, "identity.properties.principalId", "identity.id");
        }

        b.Line();
        b.Line("// Every function of the app runs here, as a custom handler (runtime 'custom'); the package is deployed to deploymentContainer.");
        b.Block("resource app 'Microsoft.Web/sites@2024-04-01' =", () =>
        {
            b.Line("name: appName");
            b.Line("location: location");
            b.Line("kind: 'functionapp,linux'");
            b.Block("identity:", () =>
            {
                b.Line("type: 'UserAssigned'");
                b.Block("userAssignedIdentities:", () => b.Line("'${identity.id}': {}"));
            });
            b.Block("properties:", () =>
            {
                b.Line("serverFarmId: plan.id");
                b.Line("httpsOnly: true");
                if (secrets.Count > 0) b.Line("keyVaultReferenceIdentity: identity.id");
                b.Block("siteConfig:", () =>
                {
                    b.Line("minTlsVersion: '1.2'");
                    b.Array("appSettings:", () => AppSettings(b, options, topics, topicSymbols, secrets));
                });
                b.Block("functionAppConfig:", () =>
                {
                    b.Block("deployment:", () => b.Block("storage:", () =>
                    {
                        b.Line("type: 'blobContainer'");
                        b.Line("value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer.name}'");
                        b.Block("authentication:", () =>
                        {
                            b.Line("type: 'UserAssignedIdentity'");
                            b.Line("userAssignedIdentityResourceId: identity.id");
                        });
                    }));
                    b.Block("scaleAndConcurrency:", () =>
                    {
                        b.Line($"instanceMemoryMB: {memory.ToString(CultureInfo.InvariantCulture)}");
                        b.Line($"maximumInstanceCount: {maxInstances.ToString(CultureInfo.InvariantCulture)}");
                    });
                    b.Block("runtime:", () =>
                    {
                        b.Line("name: 'custom'");
                        b.Line("version: '1.0'");
                    });
                });
            });
            // The host starts as soon as the app exists: its storage roles must be there first.
            b.Array("dependsOn:", () =>
            {
                foreach (var (symbol, _, _) in storageRoles) b.Line(symbol);
                if (secrets.Count > 0) b.Line("vaultSecretsUser");
            });
        });

        foreach (var topic in topics.Where(t => subscribers.Any(f => f.Trigger.Name == t)))
        {
            b.Line();
            b.Line($"// Event Grid writes the '{topic}' events it could not deliver into '{DeadLetterContainer}' as the topic's own identity.");
            RoleAssignment(b, topicSymbols[topic] + "DeadLetterWriter", "deadLetterContainer", Roles.StorageBlobDataContributor, $"{topicSymbols[topic]}.identity.principalId", $"{topicSymbols[topic]}.id");
        }

        if (blobSubscribers.Count > 0) BlobSubscriptions(b, blobSubscribers);

        foreach (var function in subscribers)
        {
            var topic = topicSymbols[function.Trigger.Name!];
            var deadLetterRole = topic + "DeadLetterWriter";
            b.Line();
            b.Line($"// Delivers '{function.Trigger.Name}' to {function.Name} (its eventGridTrigger). The function must exist: deploy the package first, then subscribeFunctions=true.");
            Subscription(b, $"resource {b.Symbol("subscription", function.Name)} 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = if (subscribeFunctions)",
                topic, function.Name, filter: null, deadLetterRole);
        }

        b.Line();
        b.Line("output functionAppName string = app.name");
        b.Line("output functionAppHostName string = app.properties.defaultHostName");
        b.Line("output identityPrincipalId string = identity.properties.principalId");
        return b.ToString();
    }

    /// <summary>
    /// The storage account's Event Grid system topic and one subscription per blob function: its container's events only
    /// (<c>subjectBeginsWith</c>), its kinds of change, with the same retries and dead-lettering as the topic subscriptions.
    /// </summary>
    private static void BlobSubscriptions(BicepWriter b, List<FunctionDefinition> functions)
    {
        b.Line();
        b.Line("// The storage account's own events (BlobCreated, BlobDeleted), for the blob functions.");
        b.Block("resource storageEvents 'Microsoft.EventGrid/systemTopics@2025-02-15' =", () =>
        {
            b.Line("name: '${appName}-storage-events'");
            b.Line("location: location");
            b.Block("identity:", () => b.Line("type: 'SystemAssigned'"));
            b.Block("properties:", () =>
            {
                b.Line("source: storage.id");
                b.Line("topicType: 'Microsoft.Storage.StorageAccounts'");
            });
        });
        b.Line();
        b.Line($"// Event Grid writes the storage events it could not deliver into '{DeadLetterContainer}' as the system topic's identity.");
        RoleAssignment(b, "storageEventsDeadLetterWriter", "deadLetterContainer", Roles.StorageBlobDataContributor, "storageEvents.identity.principalId", "storageEvents.id");
        foreach (var function in functions)
        {
            var bucket = function.Trigger.Name!;
            var events = function.Trigger.BlobEvents ?? BlobEvents.Created;
            b.Line();
            b.Line($"// Delivers bucket '{bucket}' changes ({events}) to {function.Name} (its eventGridTrigger). Deploy the package first, then subscribeFunctions=true.");
            Subscription(b, $"resource {b.Symbol("blobSubscription", function.Name)} 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (subscribeFunctions)",
                "storageEvents", function.Name, () =>
                {
                    b.Line($"subjectBeginsWith: {BicepWriter.Quote($"/blobServices/default/containers/{bucket}/")}");
                    b.Array("includedEventTypes:", () =>
                    {
                        if (events.HasFlag(BlobEvents.Created)) b.Line("'Microsoft.Storage.BlobCreated'");
                        if (events.HasFlag(BlobEvents.Deleted)) b.Line("'Microsoft.Storage.BlobDeleted'");
                    });
                },
                "storageEventsDeadLetterWriter");
        }
    }

    /// <summary>
    /// One Event Grid subscription delivering <paramref name="parent"/>'s events (CloudEvents, one at a time) to
    /// <paramref name="functionName"/>, optionally filtered, with the template's retries and dead-lettering into the dead-letter
    /// container as the topic's own identity (granted by <paramref name="deadLetterRole"/>, which it depends on).
    /// </summary>
    private static void Subscription(BicepWriter b, string declaration, string parent, string functionName, Action? filter, string deadLetterRole)
        => b.Block(declaration, () =>
        {
            b.Line($"parent: {parent}");
            b.Line($"name: {BicepWriter.Quote(functionName)}");
            b.Block("properties:", () =>
            {
                b.Line("eventDeliverySchema: 'CloudEventSchemaV1_0'");
                b.Block("destination:", () =>
                {
                    b.Line("endpointType: 'AzureFunction'");
                    b.Block("properties:", () =>
                    {
                        b.Line($"resourceId: '${{app.id}}/functions/{functionName}'");
                        b.Line("maxEventsPerBatch: 1");
                        b.Line("preferredBatchSizeInKilobytes: 64");
                    });
                });
                if (filter is not null) b.Block("filter:", filter);
                b.Block("retryPolicy:", () =>
                {
                    b.Line($"maxDeliveryAttempts: {MaxDeliveryAttempts.ToString(CultureInfo.InvariantCulture)}");
                    b.Line($"eventTimeToLiveInMinutes: {EventTimeToLiveMinutes.ToString(CultureInfo.InvariantCulture)}");
                });
                b.Block("deadLetterWithResourceIdentity:", () =>
                {
                    b.Block("identity:", () => b.Line("type: 'SystemAssigned'"));
                    b.Block("deadLetterDestination:", () =>
                    {
                        b.Line("endpointType: 'StorageBlob'");
                        b.Block("properties:", () =>
                        {
                            b.Line("resourceId: storage.id");
                            b.Line("blobContainerName: deadLetterContainer.name");
                        });
                    });
                });
            });
            b.Array("dependsOn:", () => b.Line(deadLetterRole));
        });

    private static void Header(BicepWriter b, FunctionCatalog catalog, bool subscriptions)
    {
        b.Line($"// {catalog.AppName}: written by Portable.Azure from the function catalog at publish (dotnet publish -p:PortableTarget=azure).");
        b.Line("// Deploy: az deployment group create -g RG -f main.bicep, then the package (see Portable.Azure's README).");
        if (subscriptions) b.Line("// Then once more with -p subscribeFunctions=true: an Event Grid subscription needs its function deployed.");
        b.Line("// One function app runs every function and has one managed identity: its roles are the union of what the functions use.");
        b.Line();
    }

    private static void Parameters(BicepWriter b, FunctionCatalog catalog, IReadOnlyList<string> secrets, bool subscriptions)
    {
        b.Line("@description('The region of every resource.')");
        b.Line("param location string = resourceGroup().location");
        b.Line();
        b.Line("@description('The function app name, also its host name (NAME.azurewebsites.net): letters, digits and hyphens.')");
        b.Line("@minLength(2)");
        b.Line("@maxLength(40)");
        b.Line($"param appName string = '{AppNamePrefix(catalog.AppName)}-${{uniqueString(resourceGroup().id)}}'");
        b.Line();
        b.Line("@description('The storage account: 3 to 24 lowercase letters and digits, unique in Azure.')");
        b.Line("@minLength(3)");
        b.Line("@maxLength(24)");
        b.Line("param storageAccountName string = 'st${uniqueString(resourceGroup().id, appName)}'");
        b.Line();
        b.Line("@description('The .NET environment (DOTNET_ENVIRONMENT): the app also reads appsettings.{environmentName}.json.')");
        b.Line("param environmentName string = 'Production'");
        if (subscriptions)
        {
            b.Line();
            b.Line("@description('Whether to create the Event Grid subscriptions: true once the package is deployed, since each delivers to a deployed function.')");
            b.Line("param subscribeFunctions bool = false");
        }

        if (secrets.Count == 0) return;
        b.Line();
        b.Line("@description('The Key Vault (in this resource group, Azure RBAC permission model) that holds the secrets.')");
        b.Line("param keyVaultName string");
        foreach (var secret in secrets)
        {
            b.Line();
            b.Line($"@description('The name in Key Vault of the secret the app reads as configuration key {secret}.')");
            b.Line($"param {SecretParameter(secret)} string = {BicepWriter.Quote(secret)}");
        }
    }

    private static void AppSettings(BicepWriter b, AzureOptions options, List<string> topics, Dictionary<string, string> topicSymbols, IReadOnlyList<string> secrets)
    {
        void Setting(string name, string value) => b.Block("", () =>
        {
            b.Line($"name: {BicepWriter.Quote(name)}");
            b.Line($"value: {value}");
        });

        // Identity-based connections (no key): the host's own storage, and the connection function.json's bindings and Portable name.
        var connections = new List<string> { "AzureWebJobsStorage" };
        if (!string.Equals(options.StorageConnection, "AzureWebJobsStorage", StringComparison.Ordinal)) connections.Add(options.StorageConnection);
        foreach (var connection in connections)
        {
            Setting(connection + "__accountName", "storage.name");
            Setting(connection + "__credential", "'managedidentity'");
            Setting(connection + "__clientId", "identity.properties.clientId");
        }

        Setting("AZURE_CLIENT_ID", "identity.properties.clientId"); // DefaultAzureCredential picks the user-assigned identity by it
        Setting("DOTNET_ENVIRONMENT", "environmentName");
        foreach (var topic in topics)
        {
            Setting($"Portable__Azure__Topics__{topic.Replace('-', '_')}__Endpoint", $"{topicSymbols[topic]}.properties.endpoint");
        }

        foreach (var secret in secrets)
        {
            Setting(secret, $"'@Microsoft.KeyVault(VaultName=${{keyVaultName}};SecretName=${{{SecretParameter(secret)}}})'");
        }
    }

    private static void RoleAssignment(BicepWriter b, string symbol, string scope, string role, string principal, string principalKey)
    {
        b.Block($"resource {symbol} 'Microsoft.Authorization/roleAssignments@2022-04-01' =", () =>
        {
            b.Line($"name: guid({scope}.id, {principalKey}, '{role}')");
            b.Line($"scope: {scope}");
            b.Block("properties:", () =>
            {
                b.Line($"roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{role}')");
                b.Line($"principalId: {principal}");
                b.Line("principalType: 'ServicePrincipal'");
            });
        });
    }

    private static int Memory(IReadOnlyList<FunctionDefinition> functions, DeploymentReport report)
    {
        if (functions.Count == 0) return InstanceMemorySizes[0];
        var largest = functions.MaxBy(f => f.Settings.MemoryMb)!;
        var size = InstanceMemory(largest.Settings.MemoryMb);
        foreach (var function in functions.Where(f => f.Settings.MemoryMb > InstanceMemorySizes[^1]))
        {
            report.CannotHonour(function.Name, $"declares {function.Settings.MemoryMb} MB, but a Flex Consumption instance has at most {InstanceMemorySizes[^1]} MB: it gets {InstanceMemorySizes[^1]} MB.");
        }

        report.Note("app", $"every function runs on {size} MB instances: Flex Consumption sizes one app's instances alike (512, 2048 or 4096 MB), so main.bicep takes the size that holds the largest declared memory ({largest.Settings.MemoryMb} MB, {largest.Name}).");
        return size;
    }

    private static int MaximumInstances(IReadOnlyList<FunctionDefinition> functions, DeploymentReport report)
    {
        var declared = functions.Where(f => f.Settings.MaxConcurrency is not null).ToList();
        if (declared.Count == 0) return 100; // Flex Consumption's default
        var largest = declared.Max(f => f.Settings.MaxConcurrency!.Value);
        report.Note("app", $"maximumInstanceCount is {largest} for the whole app (the largest declared MaxConcurrency): Flex Consumption limits instances per app, not per function.");
        foreach (var function in declared.Where(f => f.Settings.MaxConcurrency < largest))
        {
            report.Note(function.Name, $"declares at most {function.Settings.MaxConcurrency} instances; on Flex Consumption it shares the app-wide limit of {largest}.");
        }

        return largest;
    }

    private static void ReportDifferences(FunctionCatalog catalog, DeploymentReport report)
    {
        foreach (var function in catalog.Functions)
        {
            if (function.Settings.Architecture == FunctionArchitecture.Arm64)
            {
                report.CannotHonour(function.Name, "declares arm64, but Flex Consumption runs x64 only: publish with -r linux-x64; the function runs on x64.");
            }

            if (function.Trigger.Kind == TriggerKind.Event)
            {
                report.Note(function.Name, $"main.bicep does not know the source of '{function.Trigger.EventType}' events: subscribe the function to it (an Event Grid system topic or a blob trigger path) yourself.");
            }
        }

        var uses = catalog.Functions.Select(f => string.Join('|', f.Uses.Repositories.Order(StringComparer.Ordinal)) + "/" + string.Join('|', f.Uses.Queues.Order(StringComparer.Ordinal)) + "/" + string.Join('|', f.Uses.Topics.Order(StringComparer.Ordinal)))
            .Distinct(StringComparer.Ordinal).Count();
        if (uses > 1)
        {
            report.Note("app", "the functions use different tables, queues and topics, but one function app has one identity: every function can reach what any of them uses (least privilege is per app on Azure).");
        }

        var timeouts = catalog.Functions.Select(f => f.Settings.Timeout).Distinct().Count();
        if (timeouts > 1)
        {
            report.Note("app", $"host.json's functionTimeout is the largest declared timeout ({catalog.Functions.Max(f => f.Settings.Timeout).TotalSeconds} s) for every function: Azure Functions has one timeout per app.");
        }
    }

    /// <summary>The app name as the start of a function app name: lowercase letters, digits and hyphens, at most 26 characters.</summary>
    private static string AppNamePrefix(string appName)
    {
        var name = new string(appName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        if (name.Length == 0) name = "app";
        return name.Length > 26 ? name[..26].TrimEnd('-') : name;
    }

    /// <summary>A Portable topic name as the start of an Event Grid topic name (letters, digits and hyphens, 3 to 50 with the 14-character suffix).</summary>
    private static string TopicName(string topic)
    {
        var name = new string(topic.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        if (name.Length < 3) name = ("topic-" + name).TrimEnd('-');
        return name.Length > 36 ? name[..36].TrimEnd('-') : name;
    }
}
