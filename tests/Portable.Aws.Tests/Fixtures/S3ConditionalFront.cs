// fauxqs 1.9.2 ignores If-None-Match / If-Match on PutObject, CompleteMultipartUpload and DeleteObject (it checks them only
// on GetObject). This front sits between the S3 blob store and fauxqs, forwards every request byte for byte (streamed both
// ways, nothing buffered whole) and, for those writes, first enforces S3's documented rule ("How to prevent object overwrites
// with conditional writes", "How to perform conditional deletes"): If-None-Match: * on an existing key, or If-Match with
// another ETag, answers 412 PreconditionFailed; If-Match on a missing key answers 404 NoSuchKey. The check (a HeadObject on
// fauxqs) and the write run under one lock per key, so racing creates have exactly one winner, as on S3. It lets the blob
// contract run against fauxqs; it proves nothing about real S3's enforcement, which is not verified here.
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Portable.Aws.Tests.Fixtures;

/// <summary>
/// An in-test HTTP front for fauxqs's S3 that enforces S3's conditional writes and deletes (see the top of this file).
/// </summary>
public sealed class S3ConditionalFront : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Expect", "Host",
    };

    private readonly WebApplication _web;
    private readonly Uri _upstream;
    private readonly HttpClient _client;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _refusals = new();

    private S3ConditionalFront(WebApplication web, Uri upstream)
    {
        _web = web;
        _upstream = upstream;
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The front's base URL (<c>http://127.0.0.1:port</c>), for <c>AWS_ENDPOINT_URL_S3</c>.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>The conditional requests the front refused, one line each ("PUT /bucket/key: If-None-Match * on an existing object").</summary>
    public IReadOnlyCollection<string> Refusals => _refusals;

    /// <summary>Starts a front on a free loopback port that forwards to <paramref name="upstream"/> (fauxqs's S3 endpoint).</summary>
    /// <param name="upstream">The S3 endpoint to forward to.</param>
    /// <returns>The running front.</returns>
    public static async Task<S3ConditionalFront> StartAsync(Uri upstream)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, 0);
        });
        var web = builder.Build();
        var front = new S3ConditionalFront(web, upstream);
        web.Run(front.HandleAsync);
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        front.Endpoint = new Uri(address).GetLeftPart(UriPartial.Authority);
        return front;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = question < 0 ? "" : target[(question + 1)..];
        var request = context.Request;

        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        var ifMatch = request.Headers.IfMatch.ToString();
        if (IsConditionalWrite(request.Method, path, query) && (ifNoneMatch.Length > 0 || ifMatch.Length > 0))
        {
            SemaphoreSlim? gate = _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                var refusal = await CheckAsync(path, ifNoneMatch, ifMatch, cancellationToken);
                if (refusal is not null)
                {
                    _refusals.Enqueue($"{request.Method} {path}: {refusal.Value.Reason}");
                    await WriteErrorAsync(context, refusal.Value.Status, refusal.Value.Code, refusal.Value.Message, path, cancellationToken);
                    return;
                }

                // The write itself runs under the lock: its response arrives once fauxqs has stored (or deleted) the object.
                using var response = await ForwardHeadAsync(context, target, cancellationToken);
                gate.Release();
                gate = null;
                await CopyResponseAsync(context, response, cancellationToken);
            }
            finally
            {
                gate?.Release();
            }

            return;
        }

        using (var response = await ForwardHeadAsync(context, target, cancellationToken))
        {
            await CopyResponseAsync(context, response, cancellationToken);
        }
    }

    /// <summary>PutObject (not UploadPart or CopyObject), CompleteMultipartUpload and DeleteObject (not AbortMultipartUpload) on an object path.</summary>
    private static bool IsConditionalWrite(string method, string path, string query)
    {
        // Path-style: /bucket/key, so an object path has a second slash with something after it.
        var slash = path.IndexOf('/', 1);
        if (slash < 0 || slash == path.Length - 1) return false;
        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')[0]).ToHashSet(StringComparer.Ordinal);
        return method switch
        {
            "PUT" => !parameters.Contains("partNumber") && !parameters.Contains("uploadId"),
            "POST" => parameters.Contains("uploadId"),
            "DELETE" => !parameters.Contains("uploadId"),
            _ => false,
        };
    }

    private async Task<(HttpStatusCode Status, string Code, string Message, string Reason)?> CheckAsync(
        string path, string ifNoneMatch, string ifMatch, CancellationToken cancellationToken)
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, new Uri(_upstream, path));
        using var response = await _client.SendAsync(head, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        string? current = response.StatusCode switch
        {
            HttpStatusCode.OK => response.Headers.ETag?.Tag ?? throw new InvalidOperationException($"fauxqs answered HEAD {path} with no ETag."),
            HttpStatusCode.NotFound => null,
            _ => throw new InvalidOperationException($"fauxqs answered HEAD {path} with {(int)response.StatusCode}; the front cannot decide the condition."),
        };

        const string Failed = "At least one of the pre-conditions you specified did not hold";
        if (ifNoneMatch.Length > 0 && current is not null)
        {
            return (HttpStatusCode.PreconditionFailed, "PreconditionFailed", Failed, $"If-None-Match {ifNoneMatch} on an existing object ({current})");
        }

        if (ifMatch.Length > 0)
        {
            if (current is null)
            {
                return (HttpStatusCode.NotFound, "NoSuchKey", "The specified key does not exist.", $"If-Match {ifMatch} on no object");
            }

            if (ifMatch != "*" && !string.Equals(Unquote(ifMatch), Unquote(current), StringComparison.Ordinal))
            {
                return (HttpStatusCode.PreconditionFailed, "PreconditionFailed", Failed, $"If-Match {ifMatch} on an object whose ETag is {current}");
            }
        }

        return null;
    }

    private static string Unquote(string etag) => etag.Trim().Trim('"');

    private async Task<HttpResponseMessage> ForwardHeadAsync(HttpContext context, string target, CancellationToken cancellationToken)
    {
        var request = context.Request;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_upstream, target));
        var hasBody = request.ContentLength is not null || request.Headers.TransferEncoding.Count > 0;
        if (hasBody)
        {
            // Streamed: HttpClient reads the caller's body as it sends it.
            forward.Content = new StreamContent(request.Body, 81920);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name)) continue;
            if (!forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        // The client signed the Host it called; keep it so a server that checked signatures would see the same request.
        forward.Headers.Host = request.Host.Value;
        return await _client.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private static async Task CopyResponseAsync(HttpContext context, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (HopByHop.Contains(name)) continue;
            context.Response.Headers[name] = values.ToArray();
        }

        if (HttpMethods.IsHead(context.Request.Method)) return;
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using (body)
        {
            await body.CopyToAsync(context.Response.Body, 81920, cancellationToken);
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, HttpStatusCode status, string code, string message, string resource, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message>" +
            $"<Resource>{SecurityElement.Escape(resource)}</Resource><RequestId>{requestId}</RequestId></Error>";
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/xml";
        context.Response.Headers["x-amz-request-id"] = requestId;
        await context.Response.WriteAsync(xml, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
        _client.Dispose();
        foreach (var gate in _locks.Values) gate.Dispose();
    }
}
