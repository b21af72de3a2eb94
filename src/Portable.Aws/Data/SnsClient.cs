using System.Text;

namespace Portable.Aws.Data;

/// <summary>
/// The two SNS query-protocol actions Portable needs (<c>Publish</c>, and <c>CreateTopic</c> to find a topic's ARN when none is
/// configured), as form-encoded POSTs signed with SigV4 (API version 2010-03-31), with the connection's credentials, region
/// and endpoint (<c>AWS_ENDPOINT_URL_SNS</c> or <c>AWS_ENDPOINT_URL</c>), retried by <see cref="AwsRetry"/> as the JSON-protocol
/// services are.
/// </summary>
internal sealed class SnsClient(AwsConnection connection)
{
    private const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";
    private Uri? _endpoint;

    /// <summary>Calls an action and returns the XML answer.</summary>
    /// <exception cref="AwsServiceException">SNS refused the call; the message carries its error.</exception>
    public async Task<string> CallAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var form = new StringBuilder("Action=").Append(action).Append("&Version=2010-03-31");
        foreach (var (name, value) in parameters) form.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        var body = Encoding.UTF8.GetBytes(form.ToString());
        var endpoint = _endpoint ??= connection.Endpoint("sns", "SNS");
        return await AwsRetry.RunAsync(token => SendAsync(endpoint, action, body, token), connection.Time, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> SendAsync(Uri endpoint, string action, byte[] body, CancellationToken cancellationToken)
    {
        using var request = await connection.SignedPostAsync(endpoint, "sns", ContentType, body, [], cancellationToken).ConfigureAwait(false);
        using var response = await connection.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new AwsServiceException("SNS", action, response.StatusCode, Element(text, "Code") ?? response.StatusCode.ToString(), Element(text, "Message") ?? text, Element(text, "RequestId"));
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
