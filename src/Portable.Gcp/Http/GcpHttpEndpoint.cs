using Microsoft.AspNetCore.Http;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Gcp.Http;

/// <summary>
/// Kestrel's side of the host: every request, read up to the body limit, goes to the one function's handler. The body of an
/// event, message or schedule request lives in a pooled buffer: the handler keeps nothing of the body (a queue function's
/// message is decoded where it lies in it), so a stream of large Pub/Sub pushes reuses one buffer. An HTTP function is given its body to keep.
/// </summary>
internal sealed class GcpHttpEndpoint(GcpFunctionHandler handler, HttpDispatcher dispatcher, GcpSettings settings)
{
    private readonly bool _poolBody = handler.Function.Trigger.Kind != TriggerKind.Http;

    public Task HandleAsync(HttpContext context)
        => KestrelHttp.ServeAsync(context, KestrelHttp.PathOf(context), dispatcher, settings.MaxRequestBodyBytes, "Portable:Gcp:MaxRequestBodyBytes",
            (request, cancellationToken) => handler.HandleAsync(request, _poolBody, cancellationToken), _poolBody);
}
