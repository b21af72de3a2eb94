using System.IO.Pipelines;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portable.Aws.Runtime;

namespace Portable.AspNetCore.Lambda;

/// <summary>
/// The server side of one request served from a Lambda invocation: the features ASP.NET Core's hosting reads (request,
/// response, response body, body detection, identifier = the Lambda request id, lifetime with the invocation's deadline as
/// <c>RequestAborted</c>, connection) and <see cref="ILambdaInvocationFeature"/>. The response is buffered, and the server turns
/// it into the event source's response JSON when the pipeline is done; or, given a way to open a streamed response, it is
/// streamed: the status and headers leave as the prelude when the response starts, each body write at once.
/// </summary>
internal sealed class LambdaHttpFeatures : IHttpRequestFeature, IHttpResponseFeature, IHttpResponseBodyFeature, IHttpRequestBodyDetectionFeature,
    IHttpRequestIdentifierFeature, IHttpRequestLifetimeFeature, IHttpConnectionFeature, ILambdaInvocationFeature, IDisposable
{
    private readonly LambdaInvocation _invocation;
    private readonly CancellationTokenSource _aborted;
    private readonly ResponseBodyStream? _buffered;
    private readonly Stream _responseBody;
    private readonly Func<HttpResponseData, CancellationToken, Task<LambdaStreamingResponse>>? _openStream;
    private LambdaStreamingResponse? _stream;
    private readonly Stack<(Func<object, Task> Callback, object State)> _onStarting = new();
    private readonly Stack<(Func<object, Task> Callback, object State)> _onCompleted = new();
    private PipeWriter? _writer;
    private bool _starting;

    /// <param name="request">The request read from the event.</param>
    /// <param name="invocation">The invocation.</param>
    /// <param name="stopping">Signalled when the server stops.</param>
    /// <param name="openStream">Opens the streamed response with its status and headers; null for a buffered response.</param>
    public LambdaHttpFeatures(LambdaHttpRequest request, LambdaInvocation invocation, CancellationToken stopping, Func<HttpResponseData, CancellationToken, Task<LambdaStreamingResponse>>? openStream = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(invocation);
        _invocation = invocation;
        Method = request.Method;
        Scheme = request.Scheme;
        PathBase = request.PathBase;
        Path = request.Path;
        QueryString = request.QueryString;
        RawTarget = request.PathBase + request.Path + request.QueryString;
        Headers = request.Headers;
        Body = AsStream(request.Body);
        CanHaveBody = !request.Body.IsEmpty;
        RemoteIpAddress = request.RemoteIpAddress;
        TraceIdentifier = invocation.RequestId;
        ConnectionId = invocation.RequestId;
        _aborted = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (invocation.Deadline is { } deadline)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            _aborted.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }

        RequestAborted = _aborted.Token;
        _openStream = openStream;
        if (openStream is null) _responseBody = _buffered = new ResponseBodyStream(StartAsync);
        else _responseBody = new StreamedResponseBodyStream(StartStreamAsync, headersOnly: HttpMethods.IsHead(request.Method));
        Collection.Set<IHttpRequestFeature>(this);
        Collection.Set<IHttpResponseFeature>(this);
        Collection.Set<IHttpResponseBodyFeature>(this);
        Collection.Set<IHttpRequestBodyDetectionFeature>(this);
        Collection.Set<IHttpRequestIdentifierFeature>(this);
        Collection.Set<IHttpRequestLifetimeFeature>(this);
        Collection.Set<IHttpConnectionFeature>(this);
        Collection.Set<ILambdaInvocationFeature>(this);
    }

    /// <summary>The features handed to the app's <c>CreateContext</c>.</summary>
    public FeatureCollection Collection { get; } = new();

    /// <summary>The response body as written; empty for a streamed response.</summary>
    public ReadOnlyMemory<byte> ResponseBody => _buffered?.Written ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>Whether the response is streamed rather than buffered.</summary>
    public bool IsStreaming => _openStream is not null;

    /// <summary>The streamed response, once it has started (its prelude sent); null before, and for a buffered response.</summary>
    public LambdaStreamingResponse? StreamedResponse => _stream;

    // IHttpRequestFeature
    public string Protocol { get; set; } = "HTTP/1.1";

    public string Scheme { get; set; }

    public string Method { get; set; }

    public string PathBase { get; set; }

    public string Path { get; set; }

    public string QueryString { get; set; }

    public string RawTarget { get; set; }

    public IHeaderDictionary Headers { get; set; }

    public Stream Body { get; set; }

    // IHttpResponseFeature
    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    IHeaderDictionary IHttpResponseFeature.Headers { get; set; } = new HeaderDictionary();

    [Obsolete("Use IHttpResponseBodyFeature.Stream instead.")]
    Stream IHttpResponseFeature.Body
    {
        get => _responseBody;
        set => throw new NotSupportedException("The response body of a Lambda invocation cannot be replaced through IHttpResponseFeature; wrap IHttpResponseBodyFeature instead.");
    }

    public bool HasStarted { get; private set; }

    public void OnStarting(Func<object, Task> callback, object state)
    {
        if (HasStarted) throw new InvalidOperationException("The response has already started.");
        _onStarting.Push((callback, state));
    }

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Push((callback, state));

    // IHttpResponseBodyFeature
    public Stream Stream => _responseBody;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(_responseBody, new StreamPipeWriterOptions(leaveOpen: true));

    public void DisableBuffering()
    {
        // Buffered: the whole response is posted at once. Streamed: every write is sent at once already.
    }

    /// <summary>
    /// Starts the response: its <c>OnStarting</c> callbacks run, last registered first, as on Kestrel; a streamed response then
    /// sends its prelude (status and headers as they are now).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!_starting)
        {
            _starting = true;
            while (_onStarting.TryPop(out var starting)) await starting.Callback(starting.State).ConfigureAwait(false);
            HasStarted = true;
        }

        if (_openStream is not null && _stream is null && HasStarted) _stream = await _openStream(Head(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a streamed response once the pipeline is done: started first if nothing was written (the prelude alone, e.g. a 204
    /// or the 500 of an exception), then completed.
    /// </summary>
    /// <exception cref="HttpRequestException">The Runtime API refused the response or cannot be reached.</exception>
    public async Task FinishStreamAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        if (_stream is { IsCompleted: false } stream) await stream.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends a streamed response that has started with the error trailers of <paramref name="exception"/>.</summary>
    /// <exception cref="HttpRequestException">The Runtime API refused the response or cannot be reached.</exception>
    public async Task FailStreamAsync(Exception exception, CancellationToken cancellationToken)
    {
        if (_stream is { IsCompleted: false } stream) await stream.FailAsync(exception, cancellationToken).ConfigureAwait(false);
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await SendFileFallback.SendFileAsync(_responseBody, path, offset, count, cancellationToken).ConfigureAwait(false);
    }

    public async Task CompleteAsync()
    {
        await StartAsync().ConfigureAwait(false);
        if (_writer is not null) await _writer.FlushAsync().ConfigureAwait(false);
    }

    // IHttpRequestBodyDetectionFeature
    public bool CanHaveBody { get; }

    // IHttpRequestIdentifierFeature
    public string TraceIdentifier { get; set; }

    // IHttpRequestLifetimeFeature
    public CancellationToken RequestAborted { get; set; }

    public void Abort() => _aborted.Cancel();

    // IHttpConnectionFeature
    public string ConnectionId { get; set; }

    public IPAddress? RemoteIpAddress { get; set; }

    public IPAddress? LocalIpAddress { get; set; }

    public int RemotePort { get; set; }

    public int LocalPort { get; set; }

    // ILambdaInvocationFeature
    public string RequestId => _invocation.RequestId;

    public DateTimeOffset? Deadline => _invocation.Deadline;

    public string? FunctionArn => _invocation.FunctionArn;

    public string? TraceHeader => _invocation.TraceHeader;

    public ReadOnlyMemory<byte> RawEvent => _invocation.Payload;

    /// <summary>The response headers as the app set them.</summary>
    public IHeaderDictionary ResponseHeaders => ((IHttpResponseFeature)this).Headers;

    /// <summary>
    /// Replaces whatever the app produced with Kestrel's answer to an exception that escaped the pipeline: 500, no headers but
    /// <c>Content-Length: 0</c>, no body (nothing of the exception reaches the caller).
    /// </summary>
    public void SetServerError()
    {
        StatusCode = StatusCodes.Status500InternalServerError;
        ReasonPhrase = null;
        ResponseHeaders.Clear();
        ResponseHeaders.ContentLength = 0;
        _onStarting.Clear();
        _buffered?.Reset();
        if (!HasStarted) _starting = false; // an OnStarting callback failed: the 500 starts afresh, with no callbacks left
    }

    /// <summary>Runs the <c>OnCompleted</c> callbacks, last registered first; one that throws is reported after the others ran.</summary>
    public async Task CompleteCallbacksAsync()
    {
        List<Exception>? failures = null;
        while (_onCompleted.TryPop(out var completed))
        {
            try
            {
                await completed.Callback(completed.State).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Collected and rethrown together: one callback's failure must not skip the others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                (failures ??= []).Add(e);
            }
        }

        if (failures is not null) throw new AggregateException("An OnCompleted callback failed.", failures);
    }

    public void Dispose()
    {
        _aborted.Dispose();
        _responseBody.Dispose();
        Body.Dispose();
    }

    private async Task<LambdaStreamingResponse?> StartStreamAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        return _stream;
    }

    /// <summary>The status and headers as they are, for a streamed response's prelude.</summary>
    private HttpResponseData Head()
    {
        var head = new HttpResponseData(Math.Clamp(StatusCode, 100, 599));
        foreach (var (name, values) in ResponseHeaders)
        {
            foreach (var value in values)
            {
                if (value is not null) head.Headers.Add(name, value);
            }
        }

        return head;
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> body)
        => MemoryMarshal.TryGetArray(body, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
}
