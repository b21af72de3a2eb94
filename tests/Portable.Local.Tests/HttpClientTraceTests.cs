using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Portable.Local.Tests;

/// <summary>
/// Issue #12: the invocation's span is <see cref="System.Diagnostics.Activity.Current"/> while the function runs, so an
/// <see cref="HttpClient"/> call it makes carries <c>traceparent</c> with the invocation's trace id, with no OpenTelemetry SDK.
/// </summary>
public sealed class HttpClientTraceTests
{
    private const string CallerTraceId = "0af7651916cd43dd8448eb211c80319c";

    [Fact]
    public async Task AFunctionsHttpClientCall_CarriesTraceparent_WithTheInvocationsTraceId_AsAChildOfItsSpan()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "http-client-trace";
        builder.Services.AddSingleton<Downstream>();
        builder.Functions.MapHttp<CallsDownstream>("GET /call").MapHttp<ShowsTraceparent>("GET /downstream");
        await using var web = LocalHost.Build(builder.Build(), configureOptions: o =>
        {
            o.Port = 0;
            o.InMemory = true;
            o.RunSchedules = false;
        });
        await web.StartAsync();
        var address = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        web.Services.GetRequiredService<Downstream>().Client.BaseAddress = address;
        using var client = new HttpClient { BaseAddress = address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/call");
        request.Headers.Add("traceparent", $"00-{CallerTraceId}-b7ad6b7169203331-01");

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        await web.StopAsync();

        Assert.True(response.IsSuccessStatusCode, body);
        var (invocationTrace, invocationSpan, sent) = (body.Split(' ')[0], body.Split(' ')[1], body.Split(' ')[2]);
        Assert.Equal(CallerTraceId, invocationTrace);
        Assert.True(TraceContext.TryParse(sent, null, out var outgoing), $"No valid traceparent reached the downstream call: '{sent}'");
        Assert.Equal(CallerTraceId, outgoing.TraceId);
        // the invocation's span or, when something listens to HttpClient's own diagnostics, its child span for the request
        Assert.NotEqual("b7ad6b7169203331", outgoing.ParentId);
        Assert.Matches("^[0-9a-f]{16}$", invocationSpan);
    }

    /// <summary>The HttpClient the calling function uses, pointed at the host once it listens.</summary>
    public sealed class Downstream : IDisposable
    {
        public HttpClient Client { get; } = new();

        public void Dispose() => Client.Dispose();
    }

    /// <summary>Calls <c>GET /downstream</c> and answers its own trace id, its span id and the traceparent the callee received.</summary>
    public sealed class CallsDownstream(Downstream downstream) : IHttpFunction
    {
        public async Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
        {
            var received = await downstream.Client.GetStringAsync(new Uri("/downstream", UriKind.Relative), cancellationToken);
            return HttpResponseData.Text(200, $"{context.Trace.TraceId} {context.Trace.ParentId} {received}");
        }
    }

    /// <summary>Answers the <c>traceparent</c> header it was called with.</summary>
    public sealed class ShowsTraceparent : IHttpFunction
    {
        public Task<HttpResponseData> HandleAsync(HttpRequestData request, FunctionContext context, CancellationToken cancellationToken)
            => Task.FromResult(HttpResponseData.Text(200, request.Headers["traceparent"] ?? "none"));
    }
}
