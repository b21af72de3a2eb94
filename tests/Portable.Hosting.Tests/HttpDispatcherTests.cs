using System.Text;
using Microsoft.Extensions.Logging;
using Portable.Hosting.Tests.Fixtures;

namespace Portable.Hosting.Tests;

public sealed class HttpDispatcherTests
{
    private readonly DispatchApp _app = new();

    [Fact]
    public async Task Dispatch_AMethodNoRouteTakes_Answers405WithEveryMethodThePathTakes()
    {
        var response = await _app.Dispatcher.DispatchAsync(new HttpRequestData("DELETE", "/items/1"), null, default);

        Assert.Equal(405, response.StatusCode);
        Assert.Equal("GET, HEAD, PUT", response.Headers["Allow"]);
    }

    [Fact]
    public async Task Dispatch_Head_RunsTheGetFunctionAndAnswersWithoutABody()
    {
        var response = await _app.Dispatcher.DispatchAsync(new HttpRequestData("HEAD", "/items/7"), null, default);

        Assert.Equal(200, response.StatusCode);
        Assert.True(response.Body.IsEmpty);
    }

    [Fact]
    public async Task Dispatch_AnUnknownPath_Answers404WithTheHint()
    {
        var dispatcher = new HttpDispatcher(_app.App.Catalog, new FunctionExecutor("test", _app.Services)) { NotFoundHint = "Look elsewhere." };

        var response = await dispatcher.DispatchAsync(new HttpRequestData("GET", "/nothing"), null, default);

        Assert.Equal(404, response.StatusCode);
        Assert.Contains(" Look elsewhere.\"", Encoding.UTF8.GetString(response.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_AFailingFunction_Answers500WithItsInvocationId_AndTheFailureIsLoggedOnce()
    {
        var info = new InvocationInfo { InvocationId = "inv-1" };

        var response = await _app.Dispatcher.DispatchAsync(new HttpRequestData("POST", "/fail"), info, default);

        Assert.Equal(500, response.StatusCode);
        Assert.Equal("inv-1", response.Headers["X-Portable-Invocation-Id"]);
        Assert.DoesNotContain("the failure's own words", Encoding.UTF8.GetString(response.Body.Span), StringComparison.Ordinal);
        Assert.Single(_app.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("inv-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DispatchTo_ARouteWithParametersThePathDoesNotMatch_Answers404()
    {
        var response = await _app.Dispatcher.DispatchToAsync(_app.App.Catalog.Get("ItemFunction"), new HttpRequestData("GET", "/"), null, default);

        Assert.Equal(404, response.StatusCode);
    }

    [Fact]
    public async Task DispatchTo_ARouteWithoutParameters_RunsTheFunctionOnAnyPath()
    {
        var response = await _app.Dispatcher.DispatchToAsync(_app.App.Catalog.Get("FailingFunction"), new HttpRequestData("POST", "/"), null, default);

        Assert.Equal(500, response.StatusCode);
    }

    [Fact]
    public async Task DispatchTo_AnotherMethod_Answers405WithTheFunctionsMethod()
    {
        var response = await _app.Dispatcher.DispatchToAsync(_app.App.Catalog.Get("PutItem"), new HttpRequestData("GET", "/items/1"), null, default);

        Assert.Equal(405, response.StatusCode);
        Assert.Equal("PUT", response.Headers["Allow"]);
    }

    [Fact]
    public void TooLarge_Answers413NamingTheSetting_AndLogsIt()
    {
        var response = _app.Dispatcher.TooLarge("POST", "/x", 10, "Portable:Test:Limit");

        Assert.Equal(413, response.StatusCode);
        Assert.Contains("Portable:Test:Limit", Encoding.UTF8.GetString(response.Body.Span), StringComparison.Ordinal);
        Assert.Single(_app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Category == typeof(HttpDispatcher).FullName);
    }
}
