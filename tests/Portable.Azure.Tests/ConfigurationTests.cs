using Microsoft.Extensions.Configuration;
using Portable.Azure.Data;
using Portable.Hosting;

namespace Portable.Azure.Tests;

/// <summary>Platform detection, options and storage connection strings.</summary>
public sealed class ConfigurationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Platform_IsDetectedByTheCustomHandlerPort_AndChosenOverLocal()
    {
        Assert.True(AzurePlatform.Instance.IsDetected(name => name == "FUNCTIONS_CUSTOMHANDLER_PORT" ? "7071" : null));
        Assert.False(AzurePlatform.Instance.IsDetected(_ => null));
        Assert.Equal("azure", AzurePlatform.Instance.Name);

        PortablePlatforms.Register(AzurePlatform.Instance);
        Assert.Same(AzurePlatform.Instance, PortablePlatforms.Select([], name => name == "FUNCTIONS_CUSTOMHANDLER_PORT" ? "7071" : null));
    }

    [Fact]
    public void Options_ReadThePortTopicsAndBlobPaths()
    {
        var options = AzureOptions.FromConfiguration(Config(
            ("FUNCTIONS_CUSTOMHANDLER_PORT", "40123"),
            ("Portable:Azure:Topics:order_confirmations:Endpoint", "https://t.eventgrid.azure.net/api/events"),
            ("Portable:Azure:Topics:order_confirmations:Key", "k"),
            ("Portable:Azure:BlobTriggers:OnBlob", "uploads/{name}"),
            ("Portable:Azure:ForwardHttpRequests", "false"),
            ("Portable:Azure:RoutePrefix", "")));

        Assert.Equal(40123, options.Port);
        Assert.Equal("k", options.FindTopic("order-confirmations")!.Key);
        Assert.Null(options.FindTopic("other"));
        Assert.Equal("uploads/{name}", options.BlobTriggers["OnBlob"]);
        Assert.False(options.ForwardHttpRequests);
        Assert.Equal("", options.RoutePrefix);
    }

    [Theory]
    [InlineData("FUNCTIONS_CUSTOMHANDLER_PORT", "seven", "FUNCTIONS_CUSTOMHANDLER_PORT")]
    [InlineData("FUNCTIONS_CUSTOMHANDLER_PORT", "70000", "FUNCTIONS_CUSTOMHANDLER_PORT")]
    [InlineData("Portable:Azure:ForwardHttpRequests", "yes", "ForwardHttpRequests")]
    [InlineData("Portable:Azure:MaxRequestBodyBytes", "0", "MaxRequestBodyBytes")]
    public void BadOption_FailsNamingTheSetting(string key, string value, string named)
    {
        var error = Assert.Throws<PortableConfigurationException>(() => AzureOptions.FromConfiguration(Config((key, value))));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DevelopmentStorage_IsAzuriteOnItsDefaultTablePort()
    {
        var connection = StorageConnection.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", connection.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.TableEndpoint);
    }

    [Fact]
    public void AccountConnectionString_WithoutATableEndpoint_UsesTheAccountsTableHost()
    {
        var connection = StorageConnection.Parse("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net");

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), connection.TableEndpoint);
        Assert.Equal("key"u8.ToArray(), connection.AccountKey);
    }

    [Theory]
    [InlineData("AccountKey=a2V5", "AccountName")]
    [InlineData("AccountName=acct;SharedAccessSignature=sv=1", "AccountKey")]
    [InlineData("AccountName=acct;AccountKey=not base64!", "base64")]
    public void UnusableConnectionString_FailsSayingWhy(string connectionString, string named)
    {
        var error = Assert.Throws<PortableConfigurationException>(() => StorageConnection.Parse(connectionString));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingStorageSetting_FailsAtFirstUse_NamingTheIdentityBasedSettings()
    {
        var clients = new AzureStorageClients(Config(), new AzureOptions());

        var error = Assert.Throws<PortableConfigurationException>(() => clients.Tables);
        Assert.Contains("AzureWebJobsStorage__accountName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdentityBasedStorageSetting_UsesTheAccountsServiceUri()
    {
        var clients = new AzureStorageClients(Config(("AzureWebJobsStorage:accountName", "acct")), new AzureOptions());

        Assert.Equal(new Uri("https://acct.queue.core.windows.net/"), clients.Queues.Uri);
    }
}
