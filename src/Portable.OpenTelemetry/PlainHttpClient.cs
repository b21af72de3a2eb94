using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portable.OpenTelemetry;

/// <summary>
/// The exporter's HTTP/1.1 client for <c>http://</c> collectors, on a <see cref="Socket"/>: posting a protobuf to a collector needs
/// none of what <see cref="HttpClient"/> roots (TLS, proxies, HTTP/2, decompression), and a local binary then carries no TLS.
/// </summary>
/// <remarks>
/// One keep-alive connection is kept between exports; a kept connection that fails before any byte of the answer arrives (the
/// collector closed it while it was idle) is replaced and the request sent once more at once. Requests carry a <c>Content-Length</c>;
/// answers are framed by <c>Content-Length</c>, the chunked coding (extensions and trailers skipped) or the end of the connection;
/// <c>1xx</c> interim answers are skipped; <c>Connection: close</c> is honoured. No proxy; connecting gives up after
/// <see cref="ConnectTimeout"/>. A network error or a malformed answer is an <see cref="IOException"/> saying what went wrong, and
/// the connection is dropped; cancellation is an <see cref="OperationCanceledException"/>. One request at a time: the exporter
/// exports under a lock.
/// </remarks>
internal sealed class PlainHttpClient : IDisposable
{
    /// <summary>How long connecting may take; <see cref="HttpsSender"/> uses the same limits.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A connection idle longer than this is not used again.</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(50);

    /// <summary>A connection older than this is not used again (a collector behind a changed DNS name is found).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
    private const int MaxLine = 8 * 1024;
    private const int MaxHeaderLines = 100;
    private Connection? _kept;

    /// <summary>Posts one export request and reads the answer.</summary>
    public OtlpAnswer Post(OtlpSignalSettings signal, byte[] payload, CancellationToken cancellationToken)
    {
        var head = Head(signal, payload.Length);
        var kept = _kept;
        _kept = null;
        if (kept is not null && !kept.CanReuse(signal.Endpoint))
        {
            kept.Dispose();
            kept = null;
        }

        if (kept is not null)
        {
            try
            {
                return Exchange(kept, head, payload, cancellationToken);
            }
            catch (IOException) when (!kept.AnswerStarted && !cancellationToken.IsCancellationRequested)
            {
                // The collector closed the kept connection while it was idle: not a failed attempt, so sent again at once on a new one.
            }
        }

        return Exchange(Connection.Open(signal.Endpoint, cancellationToken), head, payload, cancellationToken);
    }

    public void Dispose()
    {
        _kept?.Dispose();
        _kept = null;
    }

    private OtlpAnswer Exchange(Connection connection, byte[] head, byte[] payload, CancellationToken cancellationToken)
    {
        var reusable = false;
        try
        {
            using var registration = cancellationToken.Register(static c => ((Connection)c!).Dispose(), connection);
            connection.Write(head);
            connection.Write(payload);
            return Read(connection, out reusable);
        }
        catch (Exception e) when ((e is IOException or SocketException or ObjectDisposedException) && cancellationToken.IsCancellationRequested)
        {
            // The registration closed the socket under the read or write.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            throw new IOException(e.Message, e);
        }
        finally
        {
            if (reusable) _kept = connection.Idle();
            else connection.Dispose();
        }
    }

    private static byte[] Head(OtlpSignalSettings signal, int length)
    {
        var endpoint = signal.Endpoint;
        var head = new StringBuilder(256);
        head.Append(CultureInfo.InvariantCulture, $"POST {endpoint.PathAndQuery} HTTP/1.1\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Host: {endpoint.IdnHost}");
        if (!endpoint.IsDefaultPort) head.Append(CultureInfo.InvariantCulture, $":{endpoint.Port}");
        head.Append("\r\nContent-Type: application/x-protobuf\r\n");
        if (signal.Gzip) head.Append("Content-Encoding: gzip\r\n");
        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n");
        foreach (var header in signal.Headers)
        {
            // The framing is this client's: a configured header cannot change it.
            if (header.Key.ToLowerInvariant() is "host" or "content-length" or "transfer-encoding" or "connection" or "content-type" or "content-encoding") continue;
            head.Append(CultureInfo.InvariantCulture, $"{header.Key}: {header.Value}\r\n");
        }

        head.Append("\r\n");
        return Encoding.UTF8.GetBytes(head.ToString());
    }

    /// <summary>Reads one answer (after any 1xx); <paramref name="reusable"/> says whether the connection may carry the next request.</summary>
    private static OtlpAnswer Read(Connection connection, out bool reusable)
    {
        while (true)
        {
            var statusLine = connection.ReadLine() ?? throw new IOException("the collector closed the connection without answering");
            if (!TryStatus(statusLine, out var http11, out var status, out var reason))
                throw Malformed($"its status line is '{Shorten(statusLine)}', not 'HTTP/1.1 <3-digit status> <reason>'");
            var close = !http11;
            string? contentLength = null, transferEncoding = null, retryAfter = null;
            for (var lines = 0; ; lines++)
            {
                var line = connection.ReadLine() ?? throw new IOException("the collector closed the connection in the middle of its answer's headers");
                if (line.Length == 0) break;
                if (lines == MaxHeaderLines) throw Malformed($"it has more than {MaxHeaderLines} header lines");
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) throw Malformed($"the header line '{Shorten(line)}' has no name");
                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    if (contentLength is not null && contentLength != value) throw Malformed($"it has two Content-Length headers ({contentLength} and {value})");
                    contentLength = value;
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    transferEncoding = transferEncoding is null ? value : transferEncoding + ", " + value;
                }
                else if (name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase))
                {
                    retryAfter = value;
                }
                else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && HasToken(value, "close"))
                {
                    close = true;
                }
            }

            if (status < 200) continue;

            using var body = new MemoryStream();
            if (transferEncoding is not null)
            {
                // With a transfer coding the length is the coding's; one that does not end in chunked runs to the end of the connection.
                close |= contentLength is not null;
                if (LastToken(transferEncoding).Equals("chunked", StringComparison.OrdinalIgnoreCase)) Chunked(connection, body);
                else
                {
                    connection.ReadBody(-1, body);
                    close = true;
                }
            }
            else if (contentLength is not null)
            {
                if (!long.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                    throw Malformed($"its Content-Length is '{Shorten(contentLength)}'");
                connection.ReadBody(length, body);
            }
            else if (status is not (204 or 304))
            {
                connection.ReadBody(-1, body);
                close = true;
            }

            reusable = !close;
            return new OtlpAnswer(status, reason, retryAfter, body.ToArray());
        }
    }

    private static void Chunked(Connection connection, MemoryStream body)
    {
        while (true)
        {
            var line = connection.ReadLine() ?? throw new IOException("the collector closed the connection in the middle of a chunked body");
            var semicolon = line.IndexOf(';', StringComparison.Ordinal);
            var hex = (semicolon < 0 ? line : line[..semicolon]).Trim();
            if (hex.Length is 0 or > 15 || !long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size))
                throw Malformed($"a chunk's size line is '{Shorten(line)}'");
            if (size == 0) break;
            connection.ReadBody(size, body);
            if (connection.ReadLine() is not { Length: 0 }) throw Malformed("a chunk is not followed by a line end");
        }

        for (var lines = 0; ; lines++)
        {
            var trailer = connection.ReadLine() ?? throw new IOException("the collector closed the connection in the middle of a chunked body's trailers");
            if (trailer.Length == 0) return;
            if (lines == MaxHeaderLines) throw Malformed($"it has more than {MaxHeaderLines} trailer lines");
        }
    }

    private static bool TryStatus(string line, out bool http11, out int status, out string reason)
    {
        http11 = line.StartsWith("HTTP/1.1", StringComparison.Ordinal);
        status = 0;
        reason = "";
        if (!http11 && !line.StartsWith("HTTP/1.0", StringComparison.Ordinal)) return false;
        if (line.Length < 12 || line[8] != ' ' || line.Length > 12 && line[12] != ' ') return false;
        if (!int.TryParse(line.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out status) || status < 100) return false;
        reason = line.Length > 13 ? line[13..] : "";
        return true;
    }

    private static bool HasToken(string value, string token)
    {
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
            if (part.Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static string LastToken(string value) => value[(value.LastIndexOf(',') + 1)..].Trim();

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    private static IOException Malformed(string what) => new($"the collector's answer is not HTTP/1.1: {what}");

    /// <summary>One TCP connection and its read buffer.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly Socket _socket;
        private readonly string _host;
        private readonly int _port;
        private readonly long _opened = Environment.TickCount64;
        private readonly byte[] _buffer = new byte[16 * 1024];
        private readonly byte[] _line = new byte[MaxLine];
        private int _start;
        private int _end;
        private long _idleSince;

        private Connection(Socket socket, Uri endpoint)
        {
            _socket = socket;
            _host = endpoint.DnsSafeHost;
            _port = endpoint.Port;
        }

        /// <summary>Whether a byte of the current answer has arrived.</summary>
        public bool AnswerStarted { get; private set; }

        public static Connection Open(Uri endpoint, CancellationToken cancellationToken)
        {
            IPAddress[] addresses;
            try
            {
                addresses = IPAddress.TryParse(endpoint.DnsSafeHost, out var literal) ? [literal] : Dns.GetHostAddresses(endpoint.DnsSafeHost);
            }
            catch (SocketException e)
            {
                throw new IOException($"{e.Message} ({endpoint.DnsSafeHost})", e);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            var failure = "the host name has no address";
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    using (timeout.Token.Register(static s => ((Socket)s!).Dispose(), socket)) socket.Connect(address, endpoint.Port);
                    return new Connection(socket, endpoint);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    socket.Dispose();
                    cancellationToken.ThrowIfCancellationRequested();
                    if (timeout.IsCancellationRequested)
                        throw new IOException(string.Create(CultureInfo.InvariantCulture, $"no connection to {endpoint.Authority} within {ConnectTimeout.TotalSeconds:0} s"));
                    failure = e.Message;
                }
            }

            throw new IOException($"{failure} ({endpoint.Authority})");
        }

        /// <summary>True when the next request to <paramref name="endpoint"/> may go on this connection.</summary>
        public bool CanReuse(Uri endpoint)
        {
            var now = Environment.TickCount64;
            if (endpoint.DnsSafeHost != _host || endpoint.Port != _port) return false;
            if (now - _idleSince > IdleLimit.TotalMilliseconds || now - _opened > Lifetime.TotalMilliseconds) return false;
            try
            {
                // Readable while idle means the collector closed it (or sent what was not asked for).
                return !_socket.Poll(0, SelectMode.SelectRead);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }

        public Connection Idle()
        {
            _idleSince = Environment.TickCount64;
            AnswerStarted = false;
            return this;
        }

        public void Write(byte[] data)
        {
            for (var sent = 0; sent < data.Length;) sent += _socket.Send(data, sent, data.Length - sent, SocketFlags.None);
        }

        /// <summary>One line without its CR LF (Latin-1), or null when the connection ended before it began.</summary>
        public string? ReadLine()
        {
            var length = 0;
            var any = false;
            while (true)
            {
                if (_start == _end && !Fill())
                {
                    if (!any) return null;
                    throw new IOException("the collector closed the connection in the middle of a line of its answer");
                }

                any = true;
                var b = _buffer[_start++];
                if (b == '\n') break;
                if (length == MaxLine) throw Malformed($"a line of its answer is longer than {MaxLine} bytes");
                _line[length++] = b;
            }

            if (length > 0 && _line[length - 1] == '\r') length--;
            return Encoding.Latin1.GetString(_line, 0, length);
        }

        /// <summary>Reads <paramref name="length"/> bytes (-1: to the end of the connection), keeping the first <see cref="OtlpAnswer.MaxBody"/>.</summary>
        public void ReadBody(long length, MemoryStream kept)
        {
            while (length != 0)
            {
                if (_start == _end && !Fill())
                {
                    if (length < 0) return;
                    throw new IOException("the collector closed the connection in the middle of its answer's body");
                }

                var count = length < 0 ? _end - _start : (int)Math.Min(_end - _start, length);
                var keep = (int)Math.Min(count, OtlpAnswer.MaxBody - kept.Length);
                if (keep > 0) kept.Write(_buffer, _start, keep);
                _start += count;
                if (length > 0) length -= count;
            }
        }

        public void Dispose() => _socket.Dispose();

        private bool Fill()
        {
            var read = _socket.Receive(_buffer, SocketFlags.None);
            _start = 0;
            _end = read;
            if (read > 0) AnswerStarted = true;
            return read > 0;
        }
    }
}
