using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Portable.Aws.Data;

namespace Portable.Aws.Tests;

/// <summary>
/// The credential chain, the region and the JSON-protocol client of <see cref="AwsConnection"/>, against a handler that plays
/// the documented endpoints (container credentials, IMDSv2, STS, a JSON 1.0 service).
/// </summary>
public sealed class AwsConnectionTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("portable-aws-home-").FullName;
    private readonly Dictionary<string, string> _env = new(StringComparer.Ordinal);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly Endpoints _endpoints = new();

    public AwsConnectionTests() => _env["HOME"] = _home;

    public void Dispose()
    {
        Directory.Delete(_home, recursive: true);
        _endpoints.Dispose();
    }

    private AwsConnection Connection() => new(name => _env.GetValueOrDefault(name), _time, _endpoints);

    [Fact]
    public async Task EnvironmentKeys_AreUsedFirst()
    {
        _env["AWS_ACCESS_KEY_ID"] = "AKIDENV";
        _env["AWS_SECRET_ACCESS_KEY"] = "secret";
        _env["AWS_SESSION_TOKEN"] = "token";
        WriteFile(".aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");

        var credentials = await Connection().Credentials.GetAsync(default);

        Assert.Equal(("AKIDENV", "secret", "token"), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        Assert.Empty(_endpoints.Requests);
    }

    [Fact]
    public async Task Profile_ReadsTheNamedSectionOfTheCredentialsFile_AndTheRegionFromConfig()
    {
        _env["AWS_PROFILE"] = "work";
        WriteFile(".aws/credentials", "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n\n# comment\n[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = w = with equals\naws_session_token=tok\n");
        WriteFile(".aws/config", "[default]\nregion = us-west-2\n[profile work]\nregion = eu-central-1\n");

        using var connection = Connection();
        var credentials = await connection.Credentials.GetAsync(default);

        Assert.Equal(("AKIDWORK", "w = with equals", "tok"), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        Assert.Equal("eu-central-1", connection.Region);
        Assert.Equal(new Uri("https://dynamodb.eu-central-1.amazonaws.com/"), connection.Endpoint("dynamodb", "DYNAMODB"));
    }

    [Fact]
    public void Region_FromTheEnvironmentWins_AndItsAbsenceIsAClearError()
    {
        WriteFile(".aws/config", "[default]\nregion = us-west-2\n");
        _env["AWS_DEFAULT_REGION"] = "ap-south-1";
        Assert.Equal("ap-south-1", Connection().Region);
        _env["AWS_REGION"] = "eu-west-1";
        Assert.Equal("eu-west-1", Connection().Region);

        _env.Remove("AWS_REGION");
        _env.Remove("AWS_DEFAULT_REGION");
        File.Delete(Path.Combine(_home, ".aws/config"));
        var error = Assert.Throws<PortableConfigurationException>(() => Connection().Region);
        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoint_ServiceVariableWinsOverTheGeneralOne()
    {
        _env["AWS_REGION"] = "us-east-1";
        _env["AWS_ENDPOINT_URL"] = "http://localhost:4566";
        _env["AWS_ENDPOINT_URL_SQS"] = "http://localhost:9324";
        using var connection = Connection();
        Assert.Equal(new Uri("http://localhost:9324"), connection.Endpoint("sqs", "SQS"));
        Assert.Equal(new Uri("http://localhost:4566"), connection.Endpoint("dynamodb", "DYNAMODB"));
    }

    [Fact]
    public async Task ContainerEndpoint_SendsTheAuthorizationToken_AndIsAskedAgainBeforeTheCredentialsExpire()
    {
        _env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:9999/creds";
        WriteFile("token", "Bearer abc\n");
        _env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = Path.Combine(_home, "token");
        _env["AWS_EC2_METADATA_DISABLED"] = "true";
        var serial = 0;
        _endpoints.On("GET http://127.0.0.1:9999/creds", _ => Json(
            $$"""{"AccessKeyId":"ASIA{{++serial}}","SecretAccessKey":"s","Token":"t","Expiration":"{{_time.GetUtcNow().AddHours(1):yyyy-MM-ddTHH:mm:ssZ}}"}"""));

        using var connection = Connection();
        var first = await connection.Credentials.GetAsync(default);
        _time.Advance(TimeSpan.FromMinutes(30));
        var cached = await connection.Credentials.GetAsync(default);
        _time.Advance(TimeSpan.FromMinutes(26)); // within five minutes of the expiry
        var refreshed = await connection.Credentials.GetAsync(default);

        Assert.Equal("ASIA1", first.AccessKeyId);
        Assert.Same(first, cached);
        Assert.Equal("ASIA2", refreshed.AccessKeyId);
        Assert.Equal("t", refreshed.SessionToken);
        Assert.All(_endpoints.Requests, r => Assert.Equal("Bearer abc", r.Headers["Authorization"]));
    }

    [Fact]
    public async Task InstanceMetadata_UsesAnImdsV2SessionToken()
    {
        _env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://169.254.169.254";
        _endpoints.On("PUT http://169.254.169.254/latest/api/token", r =>
            r.Headers.GetValueOrDefault("X-aws-ec2-metadata-token-ttl-seconds") == "21600" ? Text("imds-token") : new HttpResponseMessage(HttpStatusCode.BadRequest));
        _endpoints.On("GET http://169.254.169.254/latest/meta-data/iam/security-credentials/", r => Authorized(r, Text("app-role\n")));
        _endpoints.On("GET http://169.254.169.254/latest/meta-data/iam/security-credentials/app-role", r => Authorized(r,
            Json("""{"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"s","Token":"t","Expiration":"2026-11-25T18:00:00Z"}""")));

        var credentials = await Connection().Credentials.GetAsync(default);

        Assert.Equal("ASIAIMDS", credentials.AccessKeyId);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 18, 0, 0, TimeSpan.Zero), credentials.Expiration);
        Assert.Contains("app-role", credentials.Source, StringComparison.Ordinal);

        static HttpResponseMessage Authorized(Request r, HttpResponseMessage answer)
            => r.Headers.GetValueOrDefault("X-aws-ec2-metadata-token") == "imds-token" ? answer : new HttpResponseMessage(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WebIdentity_IsExchangedWithSts()
    {
        WriteFile("web-token", "eyJ.token.sig");
        _env["AWS_WEB_IDENTITY_TOKEN_FILE"] = Path.Combine(_home, "web-token");
        _env["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/app";
        _env["AWS_ROLE_SESSION_NAME"] = "s1";
        _env["AWS_REGION"] = "eu-west-1";
        _endpoints.On("POST https://sts.eu-west-1.amazonaws.com/", _ => Text("""
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>
            <Credentials><SessionToken>FwoG</SessionToken><SecretAccessKey>wJal</SecretAccessKey><Expiration>2026-11-25T13:00:00Z</Expiration><AccessKeyId>ASIASTS</AccessKeyId></Credentials>
            </AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>
            """));

        var credentials = await Connection().Credentials.GetAsync(default);

        Assert.Equal(("ASIASTS", "wJal", "FwoG"), (credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        var form = _endpoints.Requests.Single().Body;
        Assert.Contains("Action=AssumeRoleWithWebIdentity", form, StringComparison.Ordinal);
        Assert.Contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp", form, StringComparison.Ordinal);
        Assert.Contains("WebIdentityToken=eyJ.token.sig", form, StringComparison.Ordinal);
        Assert.Contains("RoleSessionName=s1", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCredentials_IsAnErrorThatSaysWhatWasTried_AndNamesAnUnsupportedProfileKind()
    {
        _env["AWS_EC2_METADATA_DISABLED"] = "true";
        WriteFile(".aws/config", "[default]\nsso_session = corp\nregion = us-east-1\n");

        var error = await Assert.ThrowsAsync<PortableConfigurationException>(async () => await Connection().Credentials.GetAsync(default));

        Assert.Contains("AWS_ACCESS_KEY_ID", error.Message, StringComparison.Ordinal);
        Assert.Contains("instance metadata", error.Message, StringComparison.Ordinal);
        Assert.Contains("sso_session", error.Message, StringComparison.Ordinal);
        Assert.Empty(_endpoints.Requests);
    }

    [Fact]
    public async Task JsonClient_SignsTheTarget_RetriesThrottling_AndTurnsARefusalIntoAnAwsServiceException()
    {
        _env["AWS_ACCESS_KEY_ID"] = "AKID";
        _env["AWS_SECRET_ACCESS_KEY"] = "secret";
        _env["AWS_REGION"] = "us-east-1";
        _env["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:8000";
        var calls = 0;
        _endpoints.On("POST http://127.0.0.1:8000/", _ => ++calls switch
        {
            1 => Json("""{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}""", HttpStatusCode.BadRequest),
            2 => Json("""{"Table":{"TableName":"t"}}"""),
            _ => Json("""{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}""", HttpStatusCode.BadRequest, "req-1"),
        });
        using var connection = Connection();
        var describe = connection.DynamoDb.CallAsync("DescribeTable", json =>
        {
            json.WriteStartObject();
            json.WriteString("TableName", "t");
            json.WriteEndObject();
        }, default);
        while (!describe.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(1)); // the backoff waits on the connection's TimeProvider
            await Task.Delay(5);
        }

        using var answer = await describe;
        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => connection.DynamoDb.CallAsync("DescribeTable", json => json.WriteRawValue("{}"), default));

        Assert.Equal("t", answer.RootElement.GetProperty("Table").GetProperty("TableName").GetString());
        Assert.Equal(("ResourceNotFoundException", HttpStatusCode.BadRequest, "req-1"), (refused.ErrorCode, refused.StatusCode, refused.RequestId));
        Assert.Contains("Requested resource not found", refused.Message, StringComparison.Ordinal);
        var first = _endpoints.Requests[0];
        Assert.Equal("DynamoDB_20120810.DescribeTable", first.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.0", first.Headers["Content-Type"]);
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target, ", first.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal("""{"TableName":"t"}""", first.Body);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task SnsClient_RetriesAServerErrorAsTheJsonClientDoes_AndTurnsARefusalIntoAnAwsServiceException()
    {
        _env["AWS_ACCESS_KEY_ID"] = "AKID";
        _env["AWS_SECRET_ACCESS_KEY"] = "secret";
        _env["AWS_REGION"] = "us-east-1";
        _env["AWS_ENDPOINT_URL_SNS"] = "http://127.0.0.1:4566";
        var calls = 0;
        _endpoints.On("POST http://127.0.0.1:4566/", _ => ++calls switch
        {
            1 => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("<ErrorResponse><Error><Code>ServiceUnavailable</Code></Error></ErrorResponse>") },
            2 => Text("<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>"),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound)
            {
                Content = new StringContent("<ErrorResponse><Error><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>req-2</RequestId></ErrorResponse>"),
            },
        });
        using var connection = Connection();
        var publish = connection.Sns.CallAsync("Publish", [new("TopicArn", "arn:aws:sns:us-east-1:000000000000:t"), new("Message", "{}")], default);
        while (!publish.IsCompleted)
        {
            _time.Advance(TimeSpan.FromSeconds(1)); // the backoff waits on the connection's TimeProvider
            await Task.Delay(5);
        }

        var answer = await publish;
        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => connection.Sns.CallAsync("Publish", [new("TopicArn", "missing"), new("Message", "{}")], default));

        Assert.Equal("m-1", SnsClient.Element(answer, "MessageId"));
        Assert.Equal(("NotFound", HttpStatusCode.NotFound, "req-2"), (refused.ErrorCode, refused.StatusCode, refused.RequestId));
        Assert.Equal(3, calls);
        Assert.StartsWith("Action=Publish&Version=2010-03-31&TopicArn=", _endpoints.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public void SigV4_SignsExtraHeaders_InOrder()
    {
        var at = new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
        string Sign(string target, string? token) => SigV4.Authorization("POST", new Uri("https://dynamodb.us-east-1.amazonaws.com/"), "",
            "application/x-amz-json-1.0", "{}"u8, at, "us-east-1", "dynamodb", "AKIDEXAMPLE", "secret", token, [new("X-Amz-Target", target)]);

        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,", Sign("DynamoDB_20120810.GetItem", "tok"), StringComparison.Ordinal);
        Assert.NotEqual(Sign("DynamoDB_20120810.GetItem", null), Sign("DynamoDB_20120810.PutItem", null));
    }

    private void WriteFile(string relative, string text)
    {
        var path = Path.Combine(_home, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK, string? requestId = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (requestId is not null) response.Headers.TryAddWithoutValidation("x-amzn-RequestId", requestId);
        return response;
    }

    private static HttpResponseMessage Text(string text) => new(HttpStatusCode.OK) { Content = new StringContent(text) };

    private sealed record Request(string Method, Uri Uri, Dictionary<string, string> Headers, string Body);

    /// <summary>Answers requests by "METHOD URI" and records them; anything else is a connection failure, as an absent endpoint would be.</summary>
    private sealed class Endpoints : HttpMessageHandler
    {
        private readonly Dictionary<string, Func<Request, HttpResponseMessage>> _routes = new(StringComparer.Ordinal);

        public List<Request> Requests { get; } = [];

        public void On(string methodAndUri, Func<Request, HttpResponseMessage> answer) => _routes[methodAndUri] = answer;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in request.Headers) headers[name] = string.Join(",", values);
            if (request.Content is not null)
            {
                foreach (var (name, values) in request.Content.Headers) headers[name] = string.Join(",", values);
            }

            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var recorded = new Request(request.Method.Method, request.RequestUri!, headers, body);
            if (!_routes.TryGetValue($"{recorded.Method} {recorded.Uri}", out var answer)) throw new HttpRequestException($"No endpoint at {recorded.Uri}");
            Requests.Add(recorded);
            return answer(recorded);
        }
    }
}
