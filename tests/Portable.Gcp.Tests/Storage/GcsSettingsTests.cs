using Portable.Gcp.Auth;
using Portable.Gcp.Storage;

namespace Portable.Gcp.Tests.Storage;

/// <summary>Where the Cloud Storage store goes: the emulator variable Google's clients read, the signing key, the physical bucket names.</summary>
public sealed class GcsSettingsTests
{
    [Theory]
    [InlineData(null, "https://storage.googleapis.com/")]
    [InlineData("localhost:9023", "http://localhost:9023/")]
    [InlineData("http://127.0.0.1:4443/", "http://127.0.0.1:4443/")]
    [InlineData("https://gcs.example.test", "https://gcs.example.test/")]
    public void StorageEmulatorHost_AsGoogleClientsReadIt_GivesTheJsonApiRoot(string? variable, string expected)
    {
        var settings = GcpSettings.Read([], name => name == "STORAGE_EMULATOR_HOST" ? variable : null);

        using var http = new HttpClient();
        var api = new GoogleApiClient(http, new GoogleAccessTokenSource(http, settings, TimeProvider.System), settings);
        Assert.Equal(expected, api.StorageBase);
        Assert.Equal(variable is not null, api.StorageEmulated);
    }

    [Fact]
    public async Task PhysicalBucket_IsProjectDashName_AsDeployShCreatesIt_UnlessPortableBucketVariableNamesOne()
    {
        var environment = new Dictionary<string, string>
        {
            ["GOOGLE_CLOUD_PROJECT"] = "acme-prod",
            ["PORTABLE_BUCKET_ORDER_IMPORTS"] = "acme-legacy-imports",
            [GcpSettings.SigningKeyFileVariable] = "/keys/signer.json",
        };
        var settings = GcpSettings.Read([], name => environment.GetValueOrDefault(name));

        Assert.Equal("/keys/signer.json", settings.SigningKeyFile);
        Assert.Equal("acme-prod-receipts", await PhysicalAsync(settings, "receipts"));
        Assert.Equal("acme-legacy-imports", await PhysicalAsync(settings, "order-imports"));
    }

    private static async Task<string> PhysicalAsync(GcpSettings settings, string bucket)
    {
        using var http = new HttpClient();
        var api = new GoogleApiClient(http, new GoogleAccessTokenSource(http, settings, TimeProvider.System), settings);
        using var signing = new GcsUrlSigning(api, new GoogleApiHttp(http), settings);
        return await new GcsBlobStore(bucket, api, signing, settings, TimeProvider.System).PhysicalBucketAsync(default);
    }
}
