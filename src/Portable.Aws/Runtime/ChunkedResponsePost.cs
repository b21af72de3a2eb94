using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portable.Aws.Runtime;

/// <summary>
/// One streamed <c>POST /2018-06-01/runtime/invocation/{id}/response</c> on its own HTTP/1.1 connection: the request head with
/// <c>Lambda-Runtime-Function-Response-Mode: streaming</c> and <c>Transfer-Encoding: chunked</c>, one chunk a write, then the
/// last chunk, with the error trailers (<c>Lambda-Runtime-Function-Error-Type</c>, <c>Lambda-Runtime-Function-Error-Body</c>)
/// when the response failed after it started, and the Runtime API's answer read back. Written on a socket because
/// <see cref="HttpClient"/> cannot send request trailers over HTTP/1.1.
/// </summary>
internal sealed class ChunkedResponsePost : IAsyncDisposable
{
    /// <summary>The header that asks the Runtime API for the streaming response mode.</summary>
    public const string ResponseModeHeader = "Lambda-Runtime-Function-Response-Mode";

    /// <summary>The trailer with the base64 of the error JSON, sent when the response failed mid-stream.</summary>
    public const string ErrorBodyTrailer = "Lambda-Runtime-Function-Error-Body";

    /// <summary>The longest answer body kept for the error message and the log.</summary>
    private const int MaxAnswerBody = 16 * 1024;

    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    private readonly NetworkStream _stream;
    private readonly string _target;

    private ChunkedResponsePost(Socket socket, string target)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        _target = target;
    }

    /// <summary>The bytes of body sent so far (chunk framing not counted).</summary>
    public long BytesSent { get; private set; }

    /// <summary>Connects to the Runtime API and sends the request head; the body follows with <see cref="WriteAsync"/>.</summary>
    /// <param name="runtimeApi">The Runtime API's <c>host:port</c>.</param>
    /// <param name="requestId">The invocation answered.</param>
    /// <param name="contentType">The response's content type (<c>application/vnd.awslambda.http-integration-response</c> for an HTTP response with a prelude).</param>
    /// <param name="cancellationToken">Signalled at the invocation's deadline or when the process stops.</param>
    /// <exception cref="HttpRequestException">The Runtime API cannot be reached.</exception>
    public static async Task<ChunkedResponsePost> OpenAsync(string runtimeApi, string requestId, string contentType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        if (!Uri.TryCreate("http://" + runtimeApi + "/", UriKind.Absolute, out var api))
        {
            throw new ArgumentException($"'{runtimeApi}' is not a host:port for the Lambda Runtime API.", nameof(runtimeApi));
        }

        var target = $"/2018-06-01/runtime/invocation/{Uri.EscapeDataString(requestId)}/response";
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }; // each chunk leaves at once
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(api.DnsSafeHost, api.Port), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new HttpRequestException($"POST {target} (streaming): cannot connect to the Runtime API at {runtimeApi}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var post = new ChunkedResponsePost(socket, target);
        var head = $"POST {target} HTTP/1.1\r\nHost: {api.Authority}\r\n{ResponseModeHeader}: streaming\r\nContent-Type: {Clean(contentType)}\r\n" +
            $"Transfer-Encoding: chunked\r\nTrailer: {LambdaRuntimeClient.ErrorTypeHeader}, {ErrorBodyTrailer}\r\nConnection: close\r\n\r\n";
        try
        {
            await post.SendAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await post.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return post;
    }

    /// <summary>Sends <paramref name="data"/> as one chunk; nothing for an empty write (an empty chunk would end the body).</summary>
    /// <exception cref="HttpRequestException">The connection to the Runtime API failed.</exception>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.IsEmpty) return;
        var size = Encoding.ASCII.GetBytes(data.Length.ToString("X", CultureInfo.InvariantCulture) + "\r\n");
        var framed = size.Length + data.Length + CrLf.Length;
        if (framed <= 64 * 1024)
        {
            // One send for a small chunk: its size line, the data and the CRLF leave in one segment.
            var buffer = ArrayPool<byte>.Shared.Rent(framed);
            try
            {
                size.CopyTo(buffer, 0);
                data.Span.CopyTo(buffer.AsSpan(size.Length));
                CrLf.CopyTo(buffer, size.Length + data.Length);
                await SendAsync(buffer.AsMemory(0, framed), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        else
        {
            await SendAsync(size, cancellationToken).ConfigureAwait(false);
            await SendAsync(data, cancellationToken).ConfigureAwait(false);
            await SendAsync(CrLf, cancellationToken).ConfigureAwait(false);
        }

        BytesSent += data.Length;
    }

    /// <summary>Ends the body (the last chunk) and reads the Runtime API's answer.</summary>
    /// <returns>The answer: 202 when accepted.</returns>
    /// <exception cref="HttpRequestException">The connection failed or the answer is not HTTP.</exception>
    public async Task<RuntimeApiAnswer> CompleteAsync(CancellationToken cancellationToken)
    {
        await SendAsync("0\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        return await ReadAnswerAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the body with the error trailers, so Lambda reports the invocation as failed, and reads the answer.</summary>
    /// <param name="errorType">The error's type, e.g. <c>Unhandled</c>.</param>
    /// <param name="errorJson">The error JSON (<c>errorMessage</c>, <c>errorType</c>, <c>stackTrace</c>), sent base64-encoded.</param>
    /// <param name="cancellationToken">Signalled at the deadline.</param>
    /// <returns>The answer: 202 when accepted.</returns>
    public async Task<RuntimeApiAnswer> FailAsync(string errorType, ReadOnlyMemory<byte> errorJson, CancellationToken cancellationToken)
    {
        var last = $"0\r\n{LambdaRuntimeClient.ErrorTypeHeader}: {Clean(errorType)}\r\n{ErrorBodyTrailer}: {Convert.ToBase64String(errorJson.Span)}\r\n\r\n";
        await SendAsync(Encoding.ASCII.GetBytes(last), cancellationToken).ConfigureAwait(false);
        return await ReadAnswerAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync().ConfigureAwait(false);

    /// <summary>A header value on one line: a CR or LF would end the header early.</summary>
    private static string Clean(string value) => value.Replace('\r', ' ').Replace('\n', ' ');

    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new HttpRequestException($"POST {_target} (streaming): the connection to the Runtime API failed after {BytesSent} bytes of body: {e.Message}", e);
        }
    }

    /// <summary>Reads the status line, the headers and a body of <c>Content-Length</c> or chunked (kept up to a limit), or to the end.</summary>
    private async Task<RuntimeApiAnswer> ReadAnswerAsync(CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var read = await ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0 || received.Length > 64 * 1024)
            {
                throw new HttpRequestException($"POST {_target} (streaming): the Runtime API closed the connection without an HTTP answer.");
            }

            received.Write(buffer, 0, read);
        }

        var head = Encoding.ASCII.GetString(received.GetBuffer(), 0, headEnd).Split("\r\n");
        var statusLine = head[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new HttpRequestException($"POST {_target} (streaming): the Runtime API answered '{head[0]}', which is not an HTTP/1.1 status line.");
        }

        long? length = null;
        var chunked = false;
        foreach (var line in head.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) length = n;
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase)) chunked = true;
        }

        var body = new MemoryStream();
        body.Write(received.GetBuffer(), headEnd + 4, (int)received.Length - headEnd - 4);
        var wanted = chunked ? long.MaxValue : length ?? long.MaxValue;
        while (body.Length < Math.Min(wanted, MaxAnswerBody) && !(chunked && IndexOf(body, "0\r\n\r\n"u8) >= 0))
        {
            var read = await ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            body.Write(buffer, 0, read);
        }

        var text = Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)Math.Min(body.Length, Math.Min(wanted, MaxAnswerBody)));
        return new RuntimeApiAnswer(status, chunked ? Unchunk(text) : text);
    }

    private async ValueTask<int> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new HttpRequestException($"POST {_target} (streaming): the connection to the Runtime API failed while reading its answer: {e.Message}", e);
        }
    }

    /// <summary>The data of a chunked body, for the log: size lines dropped.</summary>
    private static string Unchunk(string chunked)
    {
        var text = new StringBuilder();
        var rest = chunked.AsSpan();
        while (rest.Length > 0)
        {
            var lineEnd = rest.IndexOf("\r\n", StringComparison.Ordinal);
            if (lineEnd < 0 || !int.TryParse(rest[..lineEnd].ToString().Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0) break;
            rest = rest[(lineEnd + 2)..];
            var take = Math.Min(size, rest.Length);
            text.Append(rest[..take]);
            rest = rest[take..];
            if (rest.StartsWith("\r\n", StringComparison.Ordinal)) rest = rest[2..];
        }

        return text.ToString();
    }

    private static int IndexOf(MemoryStream stream, ReadOnlySpan<byte> value) => stream.GetBuffer().AsSpan(0, (int)stream.Length).IndexOf(value);
}
