using System.Globalization;
using System.Text;
using Amazon.Runtime.Internal.Auth;
using Portable.Aws.Data;

namespace Portable.Aws.Tests;

/// <summary>
/// Our SigV4 signer against the AWS SDK's (<see cref="AWS4Signer"/>, used here only as an independent reference) on generated
/// requests, and against AWS's published test-suite values.
/// </summary>
public sealed class SigV4CrossCheckTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset SignedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void GeneratedRequest_HasTheSdksCanonicalRequestAndSignature(int seed)
    {
        var request = GeneratedRequest.Create(seed);
        var amzDate = SigV4.AmzDate(SignedAt);
        var headers = SigV4.Headers(request.Uri, request.ContentType, amzDate, request.SessionToken, request.ExtraHeaders);
        var ours = SigV4.CanonicalRequest(request.Method, request.Uri, SigV4.CanonicalQuery(request.Query), headers, request.Body);

        var sdk = SdkSigner.CanonicalRequest(request, amzDate);
        Assert.Equal(sdk.Canonical, ours);

        var authorization = SigV4.Authorization(
            request.Method, request.Uri, SigV4.CanonicalQuery(request.Query), request.ContentType, request.Body, SignedAt,
            "us-east-1", "service", AccessKey, SecretKey, request.SessionToken, request.ExtraHeaders);
        var sdkResult = AWS4Signer.ComputeSignature(AccessKey, SecretKey, "us-east-1", SignedAt.UtcDateTime, "service", sdk.SignedHeaders, sdk.Canonical);
        Assert.Equal(sdkResult.ForAuthorizationHeader, authorization);
    }

    [Fact]
    public void GetVanilla_FromAwsTestSuite_HasTheDocumentedCanonicalRequestAndSignature()
    {
        // AWS General Reference, "Signature Version 4 Test Suite", case get-vanilla
        // (https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html): GET / with Host example.amazonaws.com,
        // X-Amz-Date 20150830T123600Z, keys AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, us-east-1, service "service".
        var uri = new Uri("https://example.amazonaws.com/");
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = "example.amazonaws.com", ["x-amz-date"] = "20150830T123600Z" };
        var canonical = SigV4.CanonicalRequest("GET", uri, "", headers, []);

        Assert.Equal(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            canonical);
        Assert.Equal("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", SigV4.Signature(canonical, "20150830T123600Z", "us-east-1", "service", SecretKey));
    }

    [Fact]
    public void GetVanillaQueryOrderKeyCase_FromAwsTestSuite_SortsTheQueryAndHasTheDocumentedSignature()
    {
        // Same source and inputs as get-vanilla, case get-vanilla-query-order-key-case: GET /?Param2=value2&Param1=value1.
        var uri = new Uri("https://example.amazonaws.com/?Param2=value2&Param1=value1");
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["host"] = "example.amazonaws.com", ["x-amz-date"] = "20150830T123600Z" };
        var query = SigV4.CanonicalQuery([new("Param2", "value2"), new("Param1", "value1")]);

        Assert.Equal("Param1=value1&Param2=value2", query);
        Assert.Equal(
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            SigV4.Signature(SigV4.CanonicalRequest("GET", uri, query, headers, []), "20150830T123600Z", "us-east-1", "service", SecretKey));
    }

    /// <summary>One generated request: method, path with awkward segments, a query with repeated and empty keys, headers, body.</summary>
    internal sealed record GeneratedRequest(
        string Method, Uri Uri, IReadOnlyList<KeyValuePair<string, string>> Query, string ContentType,
        IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders, string? SessionToken, byte[] Body)
    {
        private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];
        private static readonly string[] Segments = ["a", "with space", "ünïcödé", "鍵", "x+y", "(paren)!", "~tilde_-.", "a=b&c", "colon:at@", "star*'"];
        // ASCII names only: the SDK sorts query names before encoding them, the SigV4 specification (and our signer) after,
        // which orders differently only for names with characters outside ASCII.
        private static readonly string[] Keys = ["Action", "a", "b", "empty", "with space", "Z"];
        private static readonly string[] Values = ["", "1", "two words", "ü", "a/b", "x~y", "*", "$"];

        public static GeneratedRequest Create(int seed)
        {
            var random = new Random(seed);
            var path = "/" + string.Join('/', Enumerable.Range(0, random.Next(0, 4)).Select(_ => Uri.EscapeDataString(Segments[random.Next(Segments.Length)])));
            var query = Enumerable.Range(0, random.Next(0, 5)).Select(_ => new KeyValuePair<string, string>(Keys[random.Next(Keys.Length)], Values[random.Next(Values.Length)])).ToList();
            var extra = new List<KeyValuePair<string, string>> { new("X-Amz-Target", "AmazonSQS.SendMessage") };
            if (random.Next(2) == 0) extra.Add(new("X-Custom-Header", "  spaced   value  "));
            if (random.Next(2) == 0) extra.Add(new("x-amz-meta-number", random.Next().ToString(CultureInfo.InvariantCulture)));
            var body = new byte[random.Next(0, 64)];
            random.NextBytes(body);
            var port = random.Next(3) == 0 ? ":4566" : "";
            return new GeneratedRequest(
                Methods[random.Next(Methods.Length)], new Uri($"https://example.amazonaws.com{port}{path}"), query,
                random.Next(2) == 0 ? "application/x-amz-json-1.0" : "application/x-www-form-urlencoded; charset=utf-8",
                extra, random.Next(3) == 0 ? "session-token" : null, body);
        }
    }

    /// <summary>The SDK signer's canonicalization steps, reached through a subclass (they are protected).</summary>
    private sealed class SdkSigner : AWS4Signer
    {
        public static (string Canonical, string SignedHeaders) CanonicalRequest(GeneratedRequest request, string amzDate)
        {
            var raw = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["Content-Type"] = request.ContentType,
                ["Host"] = request.Uri.IsDefaultPort ? request.Uri.Host : request.Uri.Authority,
                ["X-Amz-Date"] = amzDate,
            };
            if (request.SessionToken is { } token) raw["X-Amz-Security-Token"] = token;
            foreach (var (name, value) in request.ExtraHeaders) raw[name] = value;
            var sorted = SortAndPruneHeaders(raw);
            // The SDK keeps the values of a repeated name in the order given; the specification sorts them (encoded), so they are
            // given in that order here (the specification's order, which our signer produces).
            var query = CanonicalizeQueryParameters(request.Query.OrderBy(p => Uri.EscapeDataString(p.Value), StringComparer.Ordinal), true);
            var resourcePath = Uri.UnescapeDataString(request.Uri.AbsolutePath);
            var bodyHash = Convert.ToHexStringLower(ComputeHash(request.Body));
            var canonical = CanonicalizeRequest(
                new Uri(request.Uri.GetLeftPart(UriPartial.Authority)), resourcePath, request.Method, sorted, query, bodyHash, new Dictionary<string, string>(), true);
            return (canonical, CanonicalizeHeaderNames(sorted));
        }
    }
}
