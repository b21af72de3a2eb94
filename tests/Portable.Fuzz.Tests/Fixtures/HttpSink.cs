using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Portable.Fuzz.Tests.Fixtures;

/// <summary>
/// A loopback endpoint that takes every POST with 200, counting them: the Event Grid topic the Azure host publishes confirmations
/// to, so that a valid queue message succeeds and only damaged input can fail.
/// </summary>
internal sealed class HttpSink : IAsyncDisposable
{
    private readonly WebApplication _web;
    private int _received;

    private HttpSink(WebApplication web) => _web = web;

    public string Address { get; private set; } = "";

    public int Received => Volatile.Read(ref _received);

    public static async Task<HttpSink> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var web = builder.Build();
        var sink = new HttpSink(web);
        web.Run(context =>
        {
            Interlocked.Increment(ref sink._received);
            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        await web.StartAsync();
        sink.Address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}
