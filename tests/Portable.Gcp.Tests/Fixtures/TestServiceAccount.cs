using System.Security.Cryptography;
using System.Text.Json;

namespace Portable.Gcp.Tests.Fixtures;

/// <summary>The inactive service account key Google publishes with its V4 signature vectors (TestData/gcs), which signed them.</summary>
internal static class TestServiceAccount
{
    /// <summary>The key file's path in the test output.</summary>
    public static string KeyFile => Path.Combine(AppContext.BaseDirectory, "TestData", "gcs", "test_service_account.not-a-test.json");

    /// <summary>The account's email and its RSA key (dispose it).</summary>
    public static (string Email, RSA Key) Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(KeyFile));
        var key = RSA.Create();
        key.ImportFromPem(document.RootElement.GetProperty("private_key").GetString());
        return (document.RootElement.GetProperty("client_email").GetString()!, key);
    }
}
