using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portable.OpenTelemetry.Tests;

/// <summary>
/// A collector on a bare <see cref="TcpListener"/> that answers each request with the next scripted bytes, byte for byte as
/// written, so that tests can send what Kestrel would never send (chunk extensions, interim answers, garbage) and count connections.
/// </summary>
internal sealed class RawCollector : IAsyncDisposable
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<Step> _script = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _accepted;

    private RawCollector(Step[] script)
    {
        foreach (var step in script) _script.Enqueue(step);
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    /// <summary>How many TCP connections the client opened.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public IReadOnlyList<Received> Requests => [.. _received];

    public static RawCollector Start(params Step[] script) => new(script);

    /// <summary>Answers with <paramref name="answer"/> and keeps the connection open, unless <paramref name="close"/>.</summary>
    public static Step Answer(string answer, bool close = false) => new(Encoding.Latin1.GetBytes(answer), close, Drop: false);

    public static Step Answer(byte[] answer, bool close = false) => new(answer, close, Drop: false);

    /// <summary>Reads the request and closes the connection without a byte of answer, as a collector closing an idle connection just then.</summary>
    public static Step Drop() => new([], Close: true, Drop: true);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients) client.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _clients.Add(client);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            while (await ReadRequestAsync(stream) is { } request)
            {
                _received.Enqueue(request);
                var step = _script.TryDequeue(out var next) ? next : Answer(Ok);
                if (!step.Drop)
                {
                    await stream.WriteAsync(step.Bytes, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }

                if (step.Close)
                {
                    client.Client.Shutdown(SocketShutdown.Both);
                    client.Dispose();
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or the test ended.
        }
    }

    private async Task<Received?> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^1] != '\n' || head[^2] != '\r' || head[^3] != '\n' || head[^4] != '\r')
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0) return null;
            head.Add(one[0]);
        }

        var text = Encoding.UTF8.GetString([.. head]);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = new byte[int.Parse(headers["Content-Length"], CultureInfo.InvariantCulture)];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return new Received(DateTime.UtcNow, lines[0], headers, body);
    }

    public sealed record Step(byte[] Bytes, bool Close, bool Drop);

    public sealed record Received(DateTime At, string RequestLine, IReadOnlyDictionary<string, string> Headers, byte[] Body);
}
