using Portable.Core.Tests.Fixtures;
using Portable.Hosting;

namespace Portable.Core.Tests;

public sealed class HttpRouterTests
{
    private static HttpRouter Router(params (string Route, string Name)[] routes)
    {
        var app = TestApp.Build(b =>
        {
            foreach (var (route, name) in routes) b.Functions.MapHttp<NoContentFunction>(route, name);
        });
        return new HttpRouter(app.Catalog);
    }

    [Fact]
    public void Match_MethodAndPathOfARoute_ReturnsFoundWithFunctionAndValues()
    {
        var router = Router(("GET /orders/{id}", "get-order"));

        var match = router.Match("GET", "/orders/42");

        Assert.Equal(RouteMatchStatus.Found, match.Status);
        Assert.Equal("get-order", match.Function?.Name);
        Assert.Equal("42", match.RouteValues?["id"]);
    }

    [Fact]
    public void Match_MethodInLowerCase_IsFound()
    {
        var router = Router(("GET /orders", "list-orders"));

        Assert.Equal(RouteMatchStatus.Found, router.Match("get", "/orders").Status);
    }

    [Fact]
    public void Match_UnknownPath_ReturnsNotFound()
    {
        var router = Router(("GET /orders", "list-orders"));

        var match = router.Match("GET", "/customers");

        Assert.Equal(RouteMatchStatus.NotFound, match.Status);
        Assert.Null(match.Function);
        Assert.Null(match.RouteValues);
    }

    [Fact]
    public void Match_KnownPathWithOtherMethod_ReturnsMethodNotAllowed()
    {
        var router = Router(("GET /orders", "list-orders"), ("POST /orders", "place-order"));

        var match = router.Match("DELETE", "/orders");

        Assert.Equal(RouteMatchStatus.MethodNotAllowed, match.Status);
        Assert.Null(match.Function);
    }

    [Fact]
    public void Match_HeadRequest_MatchesGetRoute()
    {
        var router = Router(("GET /orders", "list-orders"));

        var match = router.Match("HEAD", "/orders");

        Assert.Equal(RouteMatchStatus.Found, match.Status);
        Assert.Equal("list-orders", match.Function?.Name);
    }

    [Fact]
    public void Match_HeadRequestOnPostOnlyRoute_ReturnsMethodNotAllowed()
    {
        var router = Router(("POST /orders", "place-order"));

        Assert.Equal(RouteMatchStatus.MethodNotAllowed, router.Match("HEAD", "/orders").Status);
    }

    [Fact]
    public void Match_LiteralBeatsParameter_ReturnsLiteralRoute()
    {
        // The parameter route is registered first, so only ranking can make the literal win.
        var router = Router(("GET /orders/{id}", "get-order"), ("GET /orders/new", "new-order-form"));

        Assert.Equal("new-order-form", router.Match("GET", "/orders/new").Function?.Name);
        Assert.Equal("get-order", router.Match("GET", "/orders/17").Function?.Name);
    }

    [Fact]
    public void Match_ParameterBeatsCatchAll_ReturnsParameterRoute()
    {
        var router = Router(("GET /files/{*path}", "download"), ("GET /files/{name}", "file-info"));

        Assert.Equal("file-info", router.Match("GET", "/files/a.txt").Function?.Name);
        Assert.Equal("download", router.Match("GET", "/files/dir/a.txt").Function?.Name);
    }

    [Fact]
    public void Match_StarMethod_TakesEveryMethod()
    {
        var router = Router(("* /proxy/{*rest}", "proxy"));

        foreach (var method in new[] { "GET", "POST", "PATCH", "OPTIONS" })
        {
            var match = router.Match(method, "/proxy/a/b");
            Assert.Equal(RouteMatchStatus.Found, match.Status);
            Assert.Equal("proxy", match.Function?.Name);
            Assert.Equal("a/b", match.RouteValues?["rest"]);
        }
    }

    [Fact]
    public void Match_SpecificMethodOnMoreSpecificRoute_WinsOverStarRoute()
    {
        var router = Router(("* /{*rest}", "fallback"), ("POST /orders", "place-order"));

        Assert.Equal("place-order", router.Match("POST", "/orders").Function?.Name);
        Assert.Equal("fallback", router.Match("GET", "/orders").Function?.Name);
    }

    [Fact]
    public void Match_PathMatchesRouteOfOtherMethodFirst_StillFindsLaterRouteWithTheMethod()
    {
        var router = Router(("POST /orders/new", "create"), ("GET /orders/{id}", "get-order"));

        var match = router.Match("GET", "/orders/new");

        Assert.Equal(RouteMatchStatus.Found, match.Status);
        Assert.Equal("get-order", match.Function?.Name);
        Assert.Equal("new", match.RouteValues?["id"]);
    }

    [Fact]
    public void Router_IgnoresFunctionsThatAreNotHttp()
    {
        var app = TestApp.Build(b => b.Functions.MapQueue<OrderPlacedHandler, OrderPlaced>("orders"));

        Assert.Equal(RouteMatchStatus.NotFound, new HttpRouter(app.Catalog).Match("GET", "/orders").Status);
    }

    [Fact]
    public void Match_ExactLiteralRoute_BeatsCatchAllThatMatchesNothing()
    {
        var app = TestApp.Build(b => b.Functions
            .MapHttp<NoContentFunction>("GET /files", "list-files")
            .MapHttp<NoContentFunction>("GET /files/{*path}", "download"));
        Assert.Equal("list-files", new HttpRouter(app.Catalog).Match("GET", "/files").Function?.Name);
        Assert.Equal("download", new HttpRouter(app.Catalog).Match("GET", "/files/a/b").Function?.Name);
    }
}
