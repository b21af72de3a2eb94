using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Portable.OpenTelemetry;

/// <summary>
/// Sends OTLP/HTTP export requests (<c>POST</c>, <c>application/x-protobuf</c>, gzip when configured) with the specification's
/// retry rules: 429, 502, 503, 504, network errors and timeouts are retried with exponential backoff and jitter, honouring
/// <c>Retry-After</c>, until the export timeout; any other status drops the batch with a log line naming the status and the start
/// of the body; a 200 carrying a partial success (rejected items and a message) is logged as a warning. It never throws.
/// </summary>
internal sealed class OtlpTransport : IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly HttpClient _client;
    private readonly ExportLog _log;

    public OtlpTransport(ExportLog log, HttpMessageHandler? handler = null)
    {
        _log = log;
        _client = new HttpClient(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Sends one request; true when the collector accepted it (wholly or partly).</summary>
    /// <param name="signal">Where and how.</param>
    /// <param name="what">What is sent, for the logs: "3 spans".</param>
    /// <param name="itemName">The partial-success field's noun: spans or data points.</param>
    /// <param name="body">The protobuf request.</param>
    /// <param name="timeout">The longest the whole export, retries included, may take.</param>
    /// <param name="cancellationToken">Stops the export (the host is stopping).</param>
    public bool Send(OtlpSignalSettings signal, string what, string itemName, ReadOnlySpan<byte> body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var suppressed = ExportSuppression.Begin();
        var payload = signal.Gzip ? Gzip(body) : body.ToArray();
        var deadline = DateTime.UtcNow + timeout;
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || cancellationToken.IsCancellationRequested)
            {
                _log.Failed(signal.Endpoint, what, $"gave up after {attempt - 1} attempt(s) within the export timeout of {timeout.TotalMilliseconds:0} ms");
                return false;
            }

            TimeSpan? retryAfter = null;
            string failure;
            using (var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeoutSource.CancelAfter(Min(left, signal.Timeout));
                try
                {
                    using var request = Request(signal, payload);
                    using var response = _client.Send(request, HttpCompletionOption.ResponseContentRead, timeoutSource.Token);
                    var responseBody = ReadBody(response, timeoutSource.Token);
                    var status = (int)response.StatusCode;
                    if (response.IsSuccessStatusCode)
                    {
                        PartialSuccess(signal.Endpoint, what, itemName, responseBody);
                        _log.Succeeded();
                        return true;
                    }

                    var start = Start(responseBody);
                    if (status is not (429 or 502 or 503 or 504))
                    {
                        _log.Failed(signal.Endpoint, what, $"the collector answered {status} {response.ReasonPhrase} (not retried): {start}");
                        return false;
                    }

                    retryAfter = RetryAfter(response);
                    failure = $"{status} {response.ReasonPhrase}: {start}";
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    _log.Failed(signal.Endpoint, what, "the host stopped before the export finished");
                    return false;
                }
                catch (OperationCanceledException)
                {
                    failure = $"no answer within {Min(left, signal.Timeout).TotalMilliseconds:0} ms";
                }
                catch (HttpRequestException e)
                {
                    failure = e.Message;
                }
                catch (IOException e)
                {
                    failure = e.Message;
                }
            }

            var wait = retryAfter ?? Jitter(backoff);
            backoff = Min(backoff * 2, MaxBackoff);
            if (DateTime.UtcNow + wait >= deadline)
            {
                _log.Failed(signal.Endpoint, what, $"attempt {attempt} failed ({failure}) and the next retry would pass the export timeout of {timeout.TotalMilliseconds:0} ms");
                return false;
            }

            if (cancellationToken.WaitHandle.WaitOne(wait))
            {
                _log.Failed(signal.Endpoint, what, "the host stopped while waiting to retry");
                return false;
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private static HttpRequestMessage Request(OtlpSignalSettings signal, byte[] payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, signal.Endpoint) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        if (signal.Gzip) request.Content.Headers.ContentEncoding.Add("gzip");
        foreach (var header in signal.Headers) request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return request;
    }

    private static byte[] ReadBody(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var stream = response.Content.ReadAsStream(cancellationToken);
        using var copy = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while (copy.Length < 64 * 1024 && (read = stream.Read(buffer)) > 0) copy.Write(buffer, 0, read);
        return copy.ToArray();
    }

    private static byte[] Gzip(ReadOnlySpan<byte> body)
    {
        using var output = new MemoryStream(body.Length / 4 + 64);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(body);
        return output.ToArray();
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static TimeSpan Jitter(TimeSpan backoff) => backoff * (0.5 + Random.Shared.NextDouble() / 2);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The start of a refusal's body, for the log: text as is, anything else as its length.</summary>
    private static string Start(byte[] body)
    {
        if (body.Length == 0) return "(empty body)";
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));
        var printable = text.All(c => !char.IsControl(c) || c is '\n' or '\r' or '\t');
        return printable ? text.ReplaceLineEndings(" ") : string.Create(CultureInfo.InvariantCulture, $"({body.Length} bytes, not text)");
    }

    /// <summary>Reads ExportTraceServiceResponse / ExportMetricsServiceResponse: field 1 partial_success { 1 rejected, 2 error_message }.</summary>
    private void PartialSuccess(Uri endpoint, string what, string itemName, byte[] body)
    {
        try
        {
            long rejected = 0;
            var message = "";
            var outer = new ProtoScanner(body);
            while (outer.Next(out var field, out var wire))
            {
                if (field == 1 && wire == 2)
                {
                    var inner = new ProtoScanner(outer.Bytes());
                    while (inner.Next(out var f, out var w))
                    {
                        if (f == 1 && w == 0) rejected = (long)inner.Varint();
                        else if (f == 2 && w == 2) message = Encoding.UTF8.GetString(inner.Bytes());
                        else inner.Skip(w);
                    }
                }
                else
                {
                    outer.Skip(wire);
                }
            }

            if (rejected != 0 || message.Length > 0) _log.PartialSuccess(endpoint, what, rejected, itemName, message);
        }
        catch (InvalidDataException)
        {
            // A 200 whose body is not a response message (some proxies answer with text): the data was accepted.
        }
    }
}
