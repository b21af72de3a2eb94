using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portable.Contracts.Otlp;

/// <summary>
/// A small HTTP/1.1 server on a free loopback port, enough for exporters' <c>HttpClient</c>s: keep-alive connections,
/// <c>Content-Length</c> or chunked request bodies, <c>Expect: 100-continue</c>. It lives in this project (not Kestrel) so that
/// every test project can use the receiver without the ASP.NET Core framework. A request it cannot frame is answered 400 and
/// its connection closed, after telling <c>onFramingError</c>.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private const int MaxHeaderBytes = 64 * 1024;
    private const int MaxBodyBytes = 64 * 1024 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<LoopbackRequest, LoopbackResponse> _handle;
    private readonly Action<string, string> _onFramingError;
    private readonly List<Task> _connections = [];
    private readonly Lock _lock = new();
    private Task _accepting = Task.CompletedTask;

    public LoopbackHttpServer(Func<LoopbackRequest, LoopbackResponse> handle, Action<string, string> onFramingError)
    {
        _handle = handle;
        _onFramingError = onFramingError;
    }

    public int Port { get; private set; }

    public void Start()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] open;
        lock (_lock) open = [.. _connections];
        await Task.WhenAll(open);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = ServeAsync(client);
            lock (_lock)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(connection);
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        await Task.Yield();
        using var _ = client;
        var stream = client.GetStream();
        var reader = new Framing(stream);
        var cancellationToken = _stopping.Token;
        var requestLine = "";
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var first = await reader.ReadLineAsync(cancellationToken);
                if (first is null) return; // the client closed the connection between requests
                if (first.Length == 0) continue; // a stray CRLF between requests is allowed (RFC 9112 2.2)
                requestLine = first;

                var parts = requestLine.Split(' ');
                if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
                    throw new InvalidDataException($"The request line '{requestLine}' is not 'METHOD target HTTP/1.x'.");

                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                while (true)
                {
                    var line = await reader.ReadLineAsync(cancellationToken) ?? throw new InvalidDataException("The connection closed inside the headers.");
                    if (line.Length == 0) break;
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0) throw new InvalidDataException($"The header line '{line}' has no name.");
                    var name = line[..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
                }

                if (headers.TryGetValue("Expect", out var expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
                    await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellationToken);

                var body = await ReadBodyAsync(reader, headers, cancellationToken);
                var path = parts[1].Split('?')[0];
                var response = _handle(new LoopbackRequest(parts[0], path, headers, body));
                var close = parts[2] == "HTTP/1.0" || (headers.TryGetValue("Connection", out var connection) && connection.Contains("close", StringComparison.OrdinalIgnoreCase));
                await WriteAsync(stream, response, close, cancellationToken);
                if (close) return;
            }
        }
        catch (InvalidDataException e)
        {
            _onFramingError(requestLine, e.Message);
            try
            {
                await WriteAsync(stream, new LoopbackResponse(400, "text/plain", Encoding.UTF8.GetBytes(e.Message)), close: true, cancellationToken);
            }
            catch (IOException)
            {
                // The client is gone; the error is recorded.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The server is being disposed while it answers; the error is recorded.
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client dropped the connection, or the receiver is stopping.
        }
    }

    private static async Task<byte[]> ReadBodyAsync(Framing reader, Dictionary<string, string> headers, CancellationToken cancellationToken)
    {
        if (headers.TryGetValue("Transfer-Encoding", out var transfer))
        {
            if (!transfer.Equals("chunked", StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"Transfer-Encoding '{transfer}' is not supported; send chunked or a Content-Length.");
            using var body = new MemoryStream();
            while (true)
            {
                var sizeLine = await reader.ReadLineAsync(cancellationToken) ?? throw new InvalidDataException("The connection closed inside a chunked body.");
                if (!int.TryParse(sizeLine.Split(';')[0].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
                    throw new InvalidDataException($"The chunk size '{sizeLine}' is not hexadecimal.");
                if (body.Length + size > MaxBodyBytes) throw new InvalidDataException($"The chunked body is over {MaxBodyBytes} bytes.");
                if (size == 0)
                {
                    while (await reader.ReadLineAsync(cancellationToken) is { Length: > 0 })
                    {
                        // Trailers are read and ignored.
                    }

                    return body.ToArray();
                }

                body.Write(await reader.ReadExactlyAsync(size, cancellationToken));
                if (await reader.ReadLineAsync(cancellationToken) is not "") throw new InvalidDataException("A chunk is not followed by CRLF.");
            }
        }

        if (!headers.TryGetValue("Content-Length", out var lengthText)) return [];
        if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > MaxBodyBytes)
            throw new InvalidDataException($"Content-Length '{lengthText}' is not a length up to {MaxBodyBytes} bytes.");
        return await reader.ReadExactlyAsync(length, cancellationToken);
    }

    private static async Task WriteAsync(Stream stream, LoopbackResponse response, bool close, CancellationToken cancellationToken)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {response.ContentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {response.Body.Length}\r\n");
        if (response.Allow is not null) head.Append(CultureInfo.InvariantCulture, $"Allow: {response.Allow}\r\n");
        if (close) head.Append("Connection: close\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);
        await stream.WriteAsync(response.Body, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        415 => "Unsupported Media Type",
        500 => "Internal Server Error",
        _ => "Status",
    };

    /// <summary>Buffered reads of CRLF-terminated lines and exact byte counts from one connection.</summary>
    private sealed class Framing(Stream stream)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        /// <summary>A line without its CRLF, or null when the connection closes before any byte of it.</summary>
        public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end)
                {
                    if (!await FillAsync(cancellationToken))
                        return line.Count == 0 ? null : throw new InvalidDataException("The connection closed inside a line.");
                }

                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                var stop = newline < 0 ? _end : newline;
                for (var i = _start; i < stop; i++) line.Add(_buffer[i]);
                _start = newline < 0 ? _end : newline + 1;
                if (line.Count > MaxHeaderBytes) throw new InvalidDataException($"A line is over {MaxHeaderBytes} bytes.");
                if (newline < 0) continue;
                if (line.Count > 0 && line[^1] == '\r') line.RemoveAt(line.Count - 1);
                return Encoding.Latin1.GetString(line.ToArray());
            }
        }

        public async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
        {
            var result = new byte[count];
            var filled = 0;
            while (filled < count)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                    throw new InvalidDataException($"The connection closed after {filled} of {count} body bytes.");
                var take = Math.Min(count - filled, _end - _start);
                Array.Copy(_buffer, _start, result, filled, take);
                _start += take;
                filled += take;
            }

            return result;
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancellationToken);
            return _end > 0;
        }
    }
}
