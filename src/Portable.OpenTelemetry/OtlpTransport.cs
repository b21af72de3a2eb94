using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Portable.OpenTelemetry;

/// <summary>
/// Sends OTLP/HTTP export requests (<c>POST</c>, <c>application/x-protobuf</c>, gzip when configured) with the specification's
/// retry rules: 429, 502, 503, 504, network errors and timeouts are retried with exponential backoff and jitter, honouring
/// <c>Retry-After</c>, until the export timeout; any other status drops the batch with a log line naming the status and the start
/// of the body; a 200 carrying a partial success (rejected items and a message) is logged as a warning. It never throws.
/// <c>http://</c> collectors are reached through <see cref="PlainHttpClient"/>; <c>https://</c> ones through <see cref="HttpsSender"/>
/// (HttpClient and TLS), and only when the <see cref="OtlpHttps"/> feature switch is on, so that a build with it off carries neither.
/// </summary>
internal sealed class OtlpTransport : IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    /// <summary>The IMF-fixdate and the two obsolete forms a recipient must still accept (RFC 9110, 5.6.7).</summary>
    private static readonly string[] HttpDates = ["r", "dddd, dd'-'MMM'-'yy HH':'mm':'ss 'GMT'", "ddd MMM d HH':'mm':'ss yyyy"];
    private readonly PlainHttpClient _plain = new();
    private readonly ExportLog _log;
    private HttpsSender? _https;

    public OtlpTransport(ExportLog log) => _log = log;

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
                    var answer = Post(signal, payload, timeoutSource.Token);
                    var status = answer.Status;
                    if (status is >= 200 and < 300)
                    {
                        PartialSuccess(signal.Endpoint, what, itemName, answer.Body);
                        _log.Succeeded();
                        return true;
                    }

                    var start = Start(answer.Body);
                    if (status is not (429 or 502 or 503 or 504))
                    {
                        _log.Failed(signal.Endpoint, what, $"the collector answered {status} {answer.Reason} (not retried): {start}");
                        return false;
                    }

                    retryAfter = RetryAfter(answer.RetryAfter);
                    failure = $"{status} {answer.Reason}: {start}";
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

    public void Dispose()
    {
        _plain.Dispose();
        if (OtlpHttps.IsSupported) _https?.Dispose();
    }

    private OtlpAnswer Post(OtlpSignalSettings signal, byte[] payload, CancellationToken cancellationToken)
    {
        if (signal.Endpoint.Scheme == Uri.UriSchemeHttp) return _plain.Post(signal, payload, cancellationToken);
        if (OtlpHttps.IsSupported) return (_https ??= new HttpsSender()).Post(signal, payload, cancellationToken);

        // OtlpSettings refuses an https endpoint at start when the switch is off; this is the same sentence, should one get here.
        throw new IOException(OtlpSettings.NoHttps("the endpoint", signal.Endpoint.AbsoluteUri));
    }

    private static byte[] Gzip(ReadOnlySpan<byte> body)
    {
        using var output = new MemoryStream(body.Length / 4 + 64);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(body);
        return output.ToArray();
    }

    /// <summary>Retry-After as delta seconds or an HTTP date (RFC 9110); a date in the past is no wait, anything else is ignored.</summary>
    internal static TimeSpan? RetryAfter(string? value)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue));
        if (DateTimeOffset.TryParseExact(value, HttpDates, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var date))
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
