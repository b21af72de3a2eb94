using Microsoft.Extensions.Configuration;
using Portable.Azure.Data;

namespace Portable.Azure.Tests;

/// <summary>The Azurite started by the test script. Tests that need it fail, never skip, when it is not there.</summary>
internal static class Azurite
{
    public const string Missing =
        "AZURE_STORAGE_CONNECTION_STRING is not set, so there is no Azurite for the Table Storage and Storage Queue tests. " +
        "Run tests/emulators/start.sh and source tests/emulators/.env, or run ./test.sh.";

    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable("AZURE_STORAGE_CONNECTION_STRING");
            if (string.IsNullOrEmpty(value)) throw new InvalidOperationException(Missing);
            if (!value.Contains("127.0.0.1", StringComparison.Ordinal) && !value.Contains("UseDevelopmentStorage=true", StringComparison.Ordinal))
                throw new InvalidOperationException("AZURE_STORAGE_CONNECTION_STRING does not point at a local Azurite; these tests create and fill tables and queues.");
            return value;
        }
    }

    /// <summary>The configuration the adapter reads the storage connection from, as on Azure (<c>AzureWebJobsStorage</c>).</summary>
    public static IConfiguration Configuration(IDictionary<string, string?>? more = null)
    {
        var values = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = ConnectionString };
        if (more is not null)
        {
            foreach (var (key, value) in more) values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    public static AzureStorageClients Clients() => new(Configuration(), new AzureOptions());

    /// <summary>A name no other test uses: letters and digits, starting with a letter.</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}
