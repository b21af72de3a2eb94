using System.Net;
using System.Net.Http.Headers;

namespace Portable.OpenTelemetry;

/// <summary>
/// Sends the exporter's requests to <c>https://</c> collectors with <see cref="HttpClient"/> over <see cref="SocketsHttpHandler"/>.
/// Made and called only under <see cref="OtlpHttps.IsSupported"/>, so that a build with the switch off carries none of it.
/// </summary>
internal sealed class HttpsSender : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = PlainHttpClient.Lifetime,
        PooledConnectionIdleTimeout = PlainHttpClient.IdleLimit,
        ConnectTimeout = PlainHttpClient.ConnectTimeout,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Posts one export request; a network error is an <see cref="IOException"/>, as from <see cref="PlainHttpClient"/>.</summary>
    public OtlpAnswer Post(OtlpSignalSettings signal, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, signal.Endpoint) { Content = new ByteArrayContent(payload) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            if (signal.Gzip) request.Content.Headers.ContentEncoding.Add("gzip");
            foreach (var header in signal.Headers) request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            using var response = _client.Send(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var retryAfter = response.Headers.NonValidated.TryGetValues("Retry-After", out var values) ? values.ToString() : null;
            return new OtlpAnswer((int)response.StatusCode, response.ReasonPhrase ?? "", retryAfter, Body(response, cancellationToken));
        }
        catch (HttpRequestException e)
        {
            throw new IOException(e.Message, e);
        }
    }

    public void Dispose() => _client.Dispose();

    private static byte[] Body(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var stream = response.Content.ReadAsStream(cancellationToken);
        using var copy = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while (copy.Length < OtlpAnswer.MaxBody && (read = stream.Read(buffer)) > 0) copy.Write(buffer, 0, (int)Math.Min(read, OtlpAnswer.MaxBody - copy.Length));
        return copy.ToArray();
    }
}
