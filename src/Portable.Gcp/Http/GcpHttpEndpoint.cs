using Microsoft.AspNetCore.Http;
using Portable.Hosting;
using Portable.Hosting.AspNetCore;

namespace Portable.Gcp.Http;

/// <summary>Kestrel's side of the host: every request, read up to the body limit, goes to the one function's handler.</summary>
internal sealed class GcpHttpEndpoint(GcpFunctionHandler handler, HttpDispatcher dispatcher, GcpSettings settings)
{
    public Task HandleAsync(HttpContext context)
        => KestrelHttp.ServeAsync(context, KestrelHttp.PathOf(context), dispatcher, settings.MaxRequestBodyBytes, "Portable:Gcp:MaxRequestBodyBytes", handler.HandleAsync);
}
