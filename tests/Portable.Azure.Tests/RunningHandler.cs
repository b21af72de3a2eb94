using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portable.Azure.Handler;

namespace Portable.Azure.Tests;

/// <summary>The custom handler on real Kestrel at 127.0.0.1 on a free port, as the Functions host would start it.</summary>
public sealed class RunningHandler : IAsyncDisposable
{
    private RunningHandler(WebApplication web, Uri address)
    {
        Web = web;
        Client = new HttpClient { BaseAddress = address };
    }

    public WebApplication Web { get; }

    public HttpClient Client { get; }

    public static async Task<RunningHandler> StartAsync(Action<PortableAppBuilder> configure, IDictionary<string, string?>? settings = null, LogCapture? logs = null)
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "azure-tests";
        configure(builder);
        var app = builder.Build();
        var web = AzureHost.Build(app, web =>
        {
            web.Logging.SetMinimumLevel(LogLevel.Warning);
            if (settings is not null) web.Configuration.AddInMemoryCollection(settings);
            if (logs is not null)
            {
                web.Logging.AddProvider(logs);
                web.Logging.AddFilter<LogCapture>(null, LogLevel.Information);
            }
        }, o => o.Port = 0);
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningHandler(web, new Uri(address));
    }

    /// <summary>POSTs a payload as the host does: <c>POST /{FunctionName}</c>, JSON, with the invocation id header.</summary>
    public Task<HttpResponseMessage> InvokeAsync(string function, string payload, string invocationId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new StringContent(payload, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", invocationId);
        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Web.StopAsync();
        await Web.DisposeAsync();
    }
}
