using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Portable.Gcp.Storage;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests.Storage;

/// <summary>
/// The V4 signer against Google's published vectors (googleapis/conformance-tests <c>storage/v1/v4_signatures.json</c>, the
/// path-style cases, copied to TestData/gcs with the test service account key): canonical request, string to sign and the
/// whole signed URL, signature included, byte for byte.
/// </summary>
public sealed class GcsV4SignatureVectorTests
{
    public static IEnumerable<object[]> Cases
        => Vector().GetProperty("signingV4Tests").EnumerateArray().Select(c => new object[] { c.GetProperty("description").GetString()! });

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Signer_ProducesThePublishedCanonicalRequestStringToSignAndUrl(string description)
    {
        var vector = Vector().GetProperty("signingV4Tests").EnumerateArray().Single(c => c.GetProperty("description").GetString() == description);
        var request = RequestOf(vector);
        var (email, key) = TestServiceAccount.Load();
        using (key)
        {
            Assert.Equal(vector.GetProperty("expectedCanonicalRequest").GetString(), GcsV4Signer.CanonicalRequest(request, email));
            Assert.Equal(vector.GetProperty("expectedStringToSign").GetString(), GcsV4Signer.StringToSign(request, email));
            var url = await GcsV4Signer.SignAsync(request, email, (bytes, _) => Task.FromResult(key.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)), default);
            Assert.Equal(vector.GetProperty("expectedUrl").GetString(), url);
        }
    }

    [Fact]
    public void Vectors_CoverEveryPathStyleCase_AndTheSignerFeaturesTheStoreUses()
    {
        var cases = Vector().GetProperty("signingV4Tests").EnumerateArray().ToList();

        Assert.Equal(25, cases.Count);
        Assert.Contains(cases, c => c.GetProperty("method").GetString() == "PUT");
        Assert.Contains(cases, c => c.TryGetProperty("headers", out _));
        Assert.DoesNotContain(cases, c => c.TryGetProperty("urlStyle", out var style) && style.GetString() != "PATH_STYLE");
    }

    /// <summary>
    /// A vector's request. The endpoint follows the precedence the vectors test in Google's clients: <c>hostname</c>, then
    /// <c>clientEndpoint</c>, then <c>emulatorHostname</c>, then <c>storage.{universeDomain}</c>, else storage.googleapis.com.
    /// </summary>
    private static GcsV4Signer.Request RequestOf(JsonElement vector)
    {
        var scheme = Text(vector, "scheme") ?? "https";
        var endpoint = Text(vector, "hostname") is { } hostname ? $"{scheme}://{hostname}"
            : Text(vector, "clientEndpoint") is { } client ? (client.Contains("://", StringComparison.Ordinal) ? client : $"{scheme}://{client}")
            : Text(vector, "emulatorHostname") is { } emulator ? emulator
            : Text(vector, "universeDomain") is { } universe ? $"https://storage.{universe}"
            : $"{scheme}://storage.googleapis.com";
        return new GcsV4Signer.Request(
            vector.GetProperty("method").GetString()!,
            endpoint,
            vector.GetProperty("bucket").GetString()!,
            Text(vector, "object"),
            DateTimeOffset.Parse(vector.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture),
            vector.GetProperty("expiration").GetInt64(),
            Map(vector, "headers"),
            Map(vector, "queryParameters"));
    }

    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static Dictionary<string, string>? Map(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : null;

    private static JsonElement Vector() => Vectors.Parse(Vectors.Read(Path.Combine("gcs", "v4_signatures.json")));
}
