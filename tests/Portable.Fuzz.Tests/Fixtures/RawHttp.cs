using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portable.Fuzz.Tests.Fixtures;

/// <summary>What a host answered over a raw socket; <see cref="Status"/> is 0 when the host closed the connection without a status line.</summary>
internal sealed record RawResponse(int Status, Dictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public string BodyText(int max = 300)
    {
        var text = Encoding.UTF8.GetString(Body);
        return text.Length > max ? text[..max] + "…" : text;
    }
}

/// <summary>
/// HTTP/1.1 over a plain socket, so that anything can be sent: invalid methods, bytes no client library would write, framing
/// errors. Requests are written whole with <c>Connection: close</c>; the response is read by its Content-Length, its chunks, or up
/// to the close.
/// </summary>
internal static class RawHttp
{
    /// <summary>A request with a body; <c>Content-Length</c> is added unless <paramref name="headers"/> frame the body themselves.</summary>
    public static byte[] Request(string method, string target, byte[]? body = null, string? contentType = null, IEnumerable<(string Name, string Value)>? headers = null)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if (contentType is not null) head.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n");
        var framed = false;
        foreach (var (name, value) in headers ?? [])
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            framed |= name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase);
        }

        if (!framed && (body is not null || method is "POST" or "PUT" or "PATCH")) head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body?.Length ?? 0}\r\n");
        head.Append("\r\n");
        return [.. Encoding.UTF8.GetBytes(head.ToString()), .. body ?? []];
    }

    /// <summary>Sends <paramref name="request"/> and reads the answer; null when nothing complete came within <paramref name="timeout"/>.</summary>
    public static async Task<RawResponse?> SendAsync(int port, byte[] request, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            try
            {
                // The host may answer (and close) before it read everything, e.g. 413 on a large body.
                await socket.SendAsync(request, SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
            }

            using var received = new MemoryStream();
            var buffer = new byte[64 * 1024];
            while (true)
            {
                int read;
                try
                {
                    read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                }
                catch (SocketException)
                {
                    read = 0;
                }

                if (read == 0) break;
                received.Write(buffer, 0, read);
                if (TryParse(received.GetBuffer().AsSpan(0, (int)received.Length), complete: false) is { } done) return done;
            }

            // Closed by the host: what came, or a response with status 0 when the host closed without answering.
            return TryParse(received.GetBuffer().AsSpan(0, (int)received.Length), complete: true)
                ?? new RawResponse(0, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), received.ToArray());
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static RawResponse? TryParse(ReadOnlySpan<byte> data, bool complete)
    {
        var end = data.IndexOf("\r\n\r\n"u8);
        if (end < 0) return null;
        var lines = Encoding.Latin1.GetString(data[..end]).Split("\r\n");
        var statusParts = lines[0].Split(' ');
        if (statusParts.Length < 2 || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status)) return null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) headers[line[..colon].Trim()] = headers.TryGetValue(line[..colon].Trim(), out var v) ? v + ", " + line[(colon + 1)..].Trim() : line[(colon + 1)..].Trim();
        }

        var rest = data[(end + 4)..];
        if (headers.TryGetValue("Content-Length", out var lengthText) && int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return rest.Length >= length ? new RawResponse(status, headers, rest[..length].ToArray()) : complete ? new RawResponse(status, headers, rest.ToArray()) : null;
        }

        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return Dechunk(rest) is { } body ? new RawResponse(status, headers, body) : complete ? new RawResponse(status, headers, rest.ToArray()) : null;
        }

        return complete || status is 204 or 304 || status < 200 ? new RawResponse(status, headers, rest.ToArray()) : null;
    }

    private static byte[]? Dechunk(ReadOnlySpan<byte> data)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var lineEnd = data.IndexOf("\r\n"u8);
            if (lineEnd < 0) return null;
            var sizeText = Encoding.Latin1.GetString(data[..lineEnd]).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size)) return null;
            data = data[(lineEnd + 2)..];
            if (size == 0) return body.ToArray();
            if (data.Length < size + 2) return null;
            body.Write(data[..size]);
            data = data[(size + 2)..];
        }
    }
}
