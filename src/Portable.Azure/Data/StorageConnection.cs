namespace Portable.Azure.Data;

/// <summary>The parts of a storage connection string the adapters need: the account, its key and the Table endpoint.</summary>
internal sealed record StorageConnection(string AccountName, byte[] AccountKey, Uri TableEndpoint)
{
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Reads <c>AccountName</c>, <c>AccountKey</c>, <c>TableEndpoint</c> (or <c>DefaultEndpointsProtocol</c> and <c>EndpointSuffix</c>), and <c>UseDevelopmentStorage=true</c>.</summary>
    public static StorageConnection Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (parts.TryGetValue("UseDevelopmentStorage", out var development) && development.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return new StorageConnection("devstoreaccount1", Convert.FromBase64String(DevelopmentKey), new Uri("http://127.0.0.1:10002/devstoreaccount1"));
        }

        var account = parts.GetValueOrDefault("AccountName")
            ?? throw new PortableConfigurationException("The storage connection string has no AccountName. Copy it from the storage account's 'Access keys' page.");
        var key = parts.GetValueOrDefault("AccountKey")
            ?? throw new PortableConfigurationException($"The storage connection string of account '{account}' has no AccountKey; SAS connection strings are not supported, use the key or an identity-based connection.");
        var endpoint = parts.GetValueOrDefault("TableEndpoint")
            ?? $"{parts.GetValueOrDefault("DefaultEndpointsProtocol") ?? "https"}://{account}.table.{parts.GetValueOrDefault("EndpointSuffix") ?? "core.windows.net"}";
        try
        {
            return new StorageConnection(account, Convert.FromBase64String(key), new Uri(endpoint.TrimEnd('/')));
        }
        catch (FormatException e)
        {
            throw new PortableConfigurationException($"The AccountKey of storage account '{account}' is not base64.", e);
        }
    }
}
