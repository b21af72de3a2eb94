using Portable.Hosting.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portable.Gcp.Http;

/// <summary>Kestrel's side of the host: reads the request into a <see cref="HttpRequestData"/>, lets the handler answer, writes the answer.</summary>
internal sealed partial class GcpHttpEndpoint(GcpFunctionHandler handler, GcpSettings settings, ILogger<GcpHttpEndpoint> log)
{
    public async Task HandleAsync(HttpContext context)
    {
        HttpResponseData response;
        try
        {
            var request = await ReadAsync(context).ConfigureAwait(false);
            response = request is null
                ? HttpResponseData.Problem(413, "Content Too Large", $"The request body is over the limit of {settings.MaxRequestBodyBytes} bytes.")
                : await handler.HandleAsync(request, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (BadHttpRequestException e)
        {
            LogBadRequest(log, e.Message);
            response = HttpResponseData.Problem(e.StatusCode, "Bad Request", e.Message);
        }

        await HttpResponseWriter.WriteAsync(context, response).ConfigureAwait(false);
    }

    private async Task<HttpRequestData?> ReadAsync(HttpContext context)
    {
        var path = context.Request.Path.HasValue ? context.Request.Path.Value! : "/";
        if (context.Request.ContentLength > settings.MaxRequestBodyBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > settings.MaxRequestBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }

        var request = new HttpRequestData(context.Request.Method, path) { Body = buffer.ToArray() };
        foreach (var header in context.Request.Headers)
        {
            foreach (var value in header.Value) request.Headers.Add(header.Key, value ?? "");
        }

        foreach (var query in context.Request.Query)
        {
            foreach (var value in query.Value) request.Query.Add(query.Key, value ?? "");
        }

        return request;
    }

    [LoggerMessage(1, LogLevel.Warning, "A malformed request was refused: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string reason);
}
