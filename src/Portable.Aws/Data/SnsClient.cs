using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Portable.Aws.Data;

/// <summary>
/// The two SNS query-protocol actions Portable needs (<c>Publish</c>, and <c>CreateTopic</c> to find a topic's ARN when none is
/// configured), as form-encoded POSTs signed with SigV4, since no SNS package can be used. Credentials come from the AWS SDK's
/// default chain, the region from <c>AWS_REGION</c> and the endpoint from <c>AWS_ENDPOINT_URL_SNS</c> or <c>AWS_ENDPOINT_URL</c>.
/// </summary>
internal sealed class SnsClient(HttpClient http, Func<string, string?> environment)
{
    private const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";
    private AWSCredentials? _credentials;

    public string Region => environment("AWS_REGION") ?? environment("AWS_DEFAULT_REGION") ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName ?? "us-east-1";

    public Uri Endpoint => new(environment("AWS_ENDPOINT_URL_SNS") ?? environment("AWS_ENDPOINT_URL") ?? $"https://sns.{Region}.amazonaws.com/", UriKind.Absolute);

    /// <summary>Calls an action and returns the XML answer.</summary>
    /// <exception cref="HttpRequestException">SNS refused the call; the message carries its error.</exception>
    public async Task<string> CallAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var form = new StringBuilder("Action=").Append(action).Append("&Version=2010-03-31");
        foreach (var (name, value) in parameters) form.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        var body = Encoding.UTF8.GetBytes(form.ToString());
        var endpoint = Endpoint;
        var credentials = await (_credentials ??= DefaultAWSCredentialsIdentityResolver.GetCredentials()).GetCredentialsAsync().ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", SigV4.AmzDate(now));
        var token = credentials.UseToken ? credentials.Token : null;
        if (token is not null) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            SigV4.Authorization("POST", endpoint, "", ContentType, body, now, Region, "sns", credentials.AccessKey, credentials.SecretKey, token));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"SNS {action} answered {(int)response.StatusCode}: {Element(text, "Code")}: {Element(text, "Message") ?? text}", null, response.StatusCode);
        }

        return text;
    }

    /// <summary>The text of the first element with this name, or null.</summary>
    public static string? Element(string xml, string name)
    {
        var open = xml.IndexOf("<" + name + ">", StringComparison.Ordinal);
        if (open < 0) return null;
        var start = open + name.Length + 2;
        var end = xml.IndexOf("</" + name + ">", start, StringComparison.Ordinal);
        return end < 0 ? null : System.Net.WebUtility.HtmlDecode(xml[start..end]);
    }
}
