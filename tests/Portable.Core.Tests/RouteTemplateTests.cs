using Portable.Hosting;

namespace Portable.Core.Tests;

public sealed class RouteTemplateTests
{
    [Fact]
    public void Parse_WithoutLeadingOrWithTrailingSlash_NormalisesText()
    {
        Assert.Equal("/orders/{id}", RouteTemplate.Parse("orders/{id}/").Text);
        Assert.Equal("/", RouteTemplate.Parse("").Text);
    }

    [Fact]
    public void Parameters_ListsParameterAndCatchAllNamesInOrder()
    {
        var route = RouteTemplate.Parse("/users/{userId}/files/{*path}");

        Assert.Equal(["userId", "path"], route.Parameters);
    }

    [Fact]
    public void TryMatch_LiteralRoute_MatchesOnlyThatPath()
    {
        var route = RouteTemplate.Parse("/orders/new");

        Assert.True(route.TryMatch("/orders/new", out var values));
        Assert.Empty(values);
        Assert.False(route.TryMatch("/orders/old", out _));
        Assert.False(route.TryMatch("/orders", out _));
        Assert.False(route.TryMatch("/orders/new/extra", out _));
    }

    [Fact]
    public void TryMatch_LiteralsDifferingInCase_Match()
    {
        Assert.True(RouteTemplate.Parse("/Orders/New").TryMatch("/oRDERS/nEW", out _));
    }

    [Fact]
    public void TryMatch_TrailingAndDoubledSlashes_AreIgnored()
    {
        var route = RouteTemplate.Parse("/orders/{id}");

        Assert.True(route.TryMatch("/orders/7/", out var values));
        Assert.Equal("7", values["id"]);
        Assert.True(route.TryMatch("//orders//7", out _));
    }

    [Fact]
    public void TryMatch_Parameter_CapturesSegmentUnderCaseInsensitiveName()
    {
        Assert.True(RouteTemplate.Parse("/orders/{orderId}").TryMatch("/orders/o-42", out var values));

        Assert.Equal("o-42", values["orderId"]);
        Assert.Equal("o-42", values["ORDERID"]);
    }

    [Fact]
    public void TryMatch_EscapedParameter_IsUnescapedAfterSplitting()
    {
        Assert.True(RouteTemplate.Parse("/files/{name}").TryMatch("/files/a%2Fb%20c", out var values));

        Assert.Equal("a/b c", values["name"]);
    }

    [Fact]
    public void TryMatch_EscapedLiteral_MatchesUnescapedTemplate()
    {
        Assert.True(RouteTemplate.Parse("/caf\u00e9").TryMatch("/caf%C3%A9", out _));
    }

    [Fact]
    public void TryMatch_MissingParameterSegment_DoesNotMatch()
    {
        Assert.False(RouteTemplate.Parse("/orders/{id}").TryMatch("/orders", out _));
    }

    [Fact]
    public void TryMatch_CatchAll_CapturesRestOfPathUnescaped()
    {
        var route = RouteTemplate.Parse("/files/{*path}");

        Assert.True(route.TryMatch("/files/docs/2024/report%20final.pdf", out var values));
        Assert.Equal("docs/2024/report final.pdf", values["path"]);
    }

    [Fact]
    public void TryMatch_CatchAllWithNothingLeft_MatchesWithEmptyValue()
    {
        Assert.True(RouteTemplate.Parse("/files/{*path}").TryMatch("/files", out var values));

        Assert.Equal("", values["path"]);
    }

    [Fact]
    public void TryMatch_GreedyPlusParameter_ActsAsCatchAll()
    {
        var route = RouteTemplate.Parse("/proxy/{rest+}");

        Assert.Equal(["rest"], route.Parameters);
        Assert.True(route.TryMatch("/proxy/a/b", out var values));
        Assert.Equal("a/b", values["rest"]);
    }

    [Fact]
    public void TryMatch_RootTemplate_MatchesRootOnly()
    {
        var route = RouteTemplate.Parse("/");

        Assert.True(route.TryMatch("/", out _));
        Assert.False(route.TryMatch("/anything", out _));
    }

    [Theory]
    [InlineData("/orders/{}", "malformed parameter '{}'")]
    [InlineData("/orders/{*}", "malformed parameter '{*}'")]
    [InlineData("/orders/{order-id}", "malformed parameter '{order-id}'")]
    public void Parse_MalformedParameter_ThrowsNamingSegmentAndSyntax(string template, string expected)
    {
        var e = Assert.Throws<PortableConfigurationException>(() => RouteTemplate.Parse(template));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("{name} or {*rest}", e.Message, StringComparison.Ordinal);
        Assert.Contains(template, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/orders/id-{id}")]
    [InlineData("/orders/{id")]
    [InlineData("/orders/id}")]
    public void Parse_ParameterMixedWithText_ThrowsSayingParameterIsWholeSegment(string template)
    {
        var e = Assert.Throws<PortableConfigurationException>(() => RouteTemplate.Parse(template));

        Assert.Contains("A parameter must be a whole segment", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameParameterTwiceInAnyCase_ThrowsNamingIt()
    {
        var e = Assert.Throws<PortableConfigurationException>(() => RouteTemplate.Parse("/a/{id}/b/{ID}"));

        Assert.Contains("names the parameter 'ID' twice", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/files/{*path}/meta")]
    [InlineData("/files/{path+}/meta")]
    public void Parse_CatchAllBeforeLastSegment_Throws(string template)
    {
        var e = Assert.Throws<PortableConfigurationException>(() => RouteTemplate.Parse(template));

        Assert.Contains("catch-all parameter that is not the last segment", e.Message, StringComparison.Ordinal);
    }
}
