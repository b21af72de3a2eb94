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
        var body = await HttpRequestReader.ReadBodyAsync(context, settings.MaxRequestBodyBytes).ConfigureAwait(false);
        return body is null ? null : HttpRequestReader.ToRequestData(context, path, body);
    }

    [LoggerMessage(1, LogLevel.Warning, "A malformed request was refused: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string reason);
}
