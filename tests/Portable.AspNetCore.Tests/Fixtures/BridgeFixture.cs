using System.Net;
using Microsoft.AspNetCore.Builder;
using Portable.Aws.Tests.Fixtures;

namespace Portable.AspNetCore.Tests.Fixtures;

/// <summary>
/// The same <see cref="TestApp"/> twice: on plain Kestrel (loopback, port 0) and on the Lambda server against a fake Runtime
/// API; requests are sent to both, the one as an HTTP request, the other as an event.
/// </summary>
public sealed class BridgeFixture : IAsyncLifetime
{
    private HttpClient? _client;

    public FakeRuntimeApi Runtime { get; private set; } = null!;

    public WebApplication Lambda { get; private set; } = null!;

    public WebApplication Kestrel { get; private set; } = null!;

    public CapturedLogs LambdaLogs { get; } = new();

    public async Task InitializeAsync()
    {
        Runtime = await FakeRuntimeApi.StartAsync();
        Lambda = await TestApp.StartAsync(Runtime.Address, LambdaLogs);
        Kestrel = await TestApp.StartAsync(null);
        _client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = TestApp.Address(Kestrel),
        };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        await Lambda.StopAsync();
        await Lambda.DisposeAsync();
        await Kestrel.StopAsync();
        await Kestrel.DisposeAsync();
        await Runtime.DisposeAsync();
    }

    /// <summary>The request on Kestrel.</summary>
    public async Task<Answer> SendToKestrelAsync(TestRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
        if (request.Body is not null) message.Content = new ByteArrayContent(request.Body);
        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value)) message.Content!.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _client!.SendAsync(message);
        var headers = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)) headers[name] = [.. values]; // as sent, not as HttpClient reformats them
        return new Answer((int)response.StatusCode, headers, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The request as an event of the shape, through the Lambda server; the outcome must be a response.</summary>
    public async Task<Answer> SendToLambdaAsync(Shape shape, TestRequest request, string? stage = null)
    {
        var outcome = await InvokeAsync(EventShapes.Build(shape, request, stage));
        Assert.True(outcome.Kind == "response", $"Expected a response, got {outcome.Kind} {outcome.ErrorType}: {outcome.Body}");
        return EventShapes.ReadResponse(outcome.Body);
    }

    /// <summary>Any event through the Lambda server.</summary>
    public Task<Outcome> InvokeAsync(byte[] payload, Dictionary<string, string>? headers = null)
        => Runtime.Enqueue(payload, headers).WaitAsync(TimeSpan.FromSeconds(30));
}

/// <summary>One <see cref="BridgeFixture"/> for the test classes that use it (one Runtime API fake, one loop: invocations are served one at a time).</summary>
[CollectionDefinition(Name)]
public sealed class BridgeCollection : ICollectionFixture<BridgeFixture>
{
    public const string Name = "bridge";
}
