using Portable.Hosting.Tests.Fixtures;

namespace Portable.Hosting.Tests;

/// <summary>
/// Methods a function does not map never reach it: CONNECT, TRACE and unknown tokens answer 405 with an Allow header, through the
/// router (Local, AWS) and through the one-function match (GCP, Azure), also for a function mapped for every method (<c>*</c>).
/// </summary>
public sealed class MethodNotAllowedTests
{
    private const string AnyAllow = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    [Theory]
    [InlineData("CONNECT")]
    [InlineData("TRACE")]
    [InlineData("FOO")]
    [InlineData("DELETE")]
    public async Task Dispatch_AMethodTheRouteDoesNotMap_Answers405WithAllow_AndNeverInvokes(string method)
    {
        var app = new DispatchApp();
        var response = await app.Dispatcher.DispatchAsync(new HttpRequestData(method, "/items/1"), null, default);

        Assert.Equal(405, response.StatusCode);
        Assert.Equal("GET, HEAD, PUT", response.Headers["Allow"]);
        Assert.Equal("application/problem+json", response.Headers["Content-Type"]);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Category.StartsWith("Portable.Functions.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("CONNECT", 405)]
    [InlineData("TRACE", 405)]
    [InlineData("FOO", 405)]
    [InlineData("GET", 200)]
    [InlineData("HEAD", 200)]
    [InlineData("OPTIONS", 200)]
    [InlineData("PATCH", 200)]
    public void MatchOne_AFunctionForEveryMethod_TakesTheMethodsEveryGatewayForwards(string method, int status)
    {
        var function = AnyMethodFunction();
        var match = HttpRouter.MatchOne(function, method, "/anything");

        Assert.Equal(status == 200 ? RouteMatchStatus.Found : RouteMatchStatus.MethodNotAllowed, match.Status);
        if (status == 405) Assert.Equal(AnyAllow, string.Join(", ", match.AllowedMethods));
    }

    [Theory]
    [InlineData("CONNECT")]
    [InlineData("TRACE")]
    [InlineData("FOO")]
    public void Match_AFunctionForEveryMethod_Answers405ForCONNECTTRACEAndUnknownMethods(string method)
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.Functions.MapHttp<ItemFunction>("* /any/{*rest}", "any");
        var router = new HttpRouter(builder.Build().Catalog);

        var match = router.Match(method, "/any/thing");

        Assert.Equal(RouteMatchStatus.MethodNotAllowed, match.Status);
        Assert.Equal(AnyAllow, string.Join(", ", match.AllowedMethods));
        Assert.Equal(RouteMatchStatus.Found, router.Match("PUT", "/any/thing").Status);
    }

    [Fact]
    public void MatchOne_AGetFunction_Allows_GetAndHead()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.Functions.MapHttp<ItemFunction>("GET /hello", "hello");
        var match = HttpRouter.MatchOne(builder.Build().Catalog.Get("hello"), "CONNECT", "/hello");

        Assert.Equal(RouteMatchStatus.MethodNotAllowed, match.Status);
        Assert.Equal(["GET", "HEAD"], match.AllowedMethods);
    }

    [Fact]
    public async Task IsFailure_IsTrueForTheDispatchersFailureAnswer_AndFalseForA500TheFunctionReturned()
    {
        var app = new DispatchApp();
        var failed = await app.Dispatcher.DispatchAsync(new HttpRequestData("POST", "/fail"), null, default);

        Assert.Equal(500, failed.StatusCode);
        Assert.True(HttpDispatcher.IsFailure(failed));
        Assert.False(HttpDispatcher.IsFailure(HttpResponseData.Problem(500, "Internal Server Error", invocationId: "x")));
    }

    private static FunctionDefinition AnyMethodFunction()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.Functions.MapHttp<ItemFunction>("* /{*path}", "any");
        return builder.Build().Catalog.Get("any");
    }
}
