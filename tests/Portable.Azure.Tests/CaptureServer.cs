using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Portable.Azure.Tests;

public sealed record CapturedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>A stand-in Event Grid endpoint on 127.0.0.1: records every request and answers a chosen status. (Event Grid has no emulator here.)</summary>
public sealed class CaptureServer : IAsyncDisposable
{
    private readonly WebApplication _web;

    private CaptureServer(WebApplication web, Uri address)
    {
        _web = web;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    public int Status { get; set; } = 200;

    public static async Task<CaptureServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var web = builder.Build();
        CaptureServer? server = null;
        web.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            server!.Requests.Enqueue(new CapturedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body));
            context.Response.StatusCode = server.Status;
        });
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new CaptureServer(web, new Uri(address));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}
