using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace Portable.Azure.Data;

/// <summary>
/// The Table, Queue and Blob clients, made once per process from the storage connection setting (as the Functions host reads it):
/// a connection string, or identity-based <c>NAME__accountName</c> / <c>NAME__tableServiceUri</c> / <c>NAME__queueServiceUri</c> / <c>NAME__blobServiceUri</c>
/// with <c>DefaultAzureCredential</c>. Queue messages are base64, as the queue trigger expects.
/// </summary>
internal sealed class AzureStorageClients
{
    private readonly Lazy<TableStorageClient> _tables;
    private readonly Lazy<QueueServiceClient> _queues;
    private readonly Lazy<BlobServiceClient> _blobs;

    public AzureStorageClients(IConfiguration configuration, AzureOptions options, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var name = options.StorageConnection;
        var connectionString = configuration[name] ?? configuration[$"ConnectionStrings:{name}"];
        var section = configuration.GetSection(name);
        var client = http ?? new HttpClient();
        _tables = new Lazy<TableStorageClient>(() => connectionString is { Length: > 0 }
            ? new TableStorageClient(client, StorageConnection.Parse(connectionString))
            : new TableStorageClient(client, ServiceUri(section, name, "table"), new DefaultAzureCredential()));
        _queues = new Lazy<QueueServiceClient>(() =>
        {
            var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
            return connectionString is { Length: > 0 }
                ? new QueueServiceClient(connectionString, queueOptions)
                : new QueueServiceClient(ServiceUri(section, name, "queue"), new DefaultAzureCredential(), queueOptions);
        });
        // Made at the first use of a bucket, so that a function that uses none pays nothing for Blob Storage at start.
        _blobs = new Lazy<BlobServiceClient>(() => connectionString is { Length: > 0 }
            ? new BlobServiceClient(connectionString)
            : new BlobServiceClient(ServiceUri(section, name, "blob"), new DefaultAzureCredential()));
    }

    public TableStorageClient Tables => _tables.Value;

    public QueueServiceClient Queues => _queues.Value;

    /// <summary>The Blob Storage client: with a shared key when the setting is a connection string, else with the app's identity.</summary>
    public BlobServiceClient Blobs => _blobs.Value;

    private static Uri ServiceUri(IConfigurationSection section, string name, string service)
    {
        if (section[$"{service}ServiceUri"] is { Length: > 0 } uri) return new Uri(uri);
        if (section["accountName"] is { Length: > 0 } account) return new Uri($"https://{account}.{service}.core.windows.net");
        throw new PortableConfigurationException(
            $"No storage connection: the setting '{name}' is empty. Set it to a storage connection string, or set {name}__accountName " +
            $"(or {name}__{service}ServiceUri) to use the app's managed identity, as the Functions host reads it.");
    }
}
