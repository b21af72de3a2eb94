using System.Text;
using Portable.Core.Tests.Fixtures;

namespace Portable.Core.Tests;

public sealed class HttpRequestDataTests
{
    [Fact]
    public void Constructor_UpperCasesMethodAndDefaultsEmptyPathToRoot()
    {
        var request = new HttpRequestData("patch", "");

        Assert.Equal("PATCH", request.Method);
        Assert.Equal("/", request.Path);
    }

    [Fact]
    public void Constructor_EmptyMethod_Throws()
    {
        Assert.Throws<ArgumentException>(() => new HttpRequestData("", "/"));
    }

    [Fact]
    public void Cookies_ReadsEveryCookieHeaderUnescapedAndKeepsFirstDuplicate()
    {
        var request = new HttpRequestData("GET", "/");
        request.Headers.Add("Cookie", "session=abc123; theme=dark%20blue");
        request.Headers.Add("cookie", "lang=en; session=second;; =orphan; flag");

        var cookies = request.Cookies;

        Assert.Equal("abc123", cookies["session"]);
        Assert.Equal("dark blue", cookies["theme"]);
        Assert.Equal("en", cookies["lang"]);
        Assert.Equal(3, cookies.Count);
    }

    [Fact]
    public void Cookies_NoCookieHeader_IsEmpty()
    {
        Assert.Empty(new HttpRequestData("GET", "/").Cookies);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8", "application/json")]
    [InlineData("  text/plain ;charset=us-ascii", "text/plain")]
    [InlineData("application/xml", "application/xml")]
    public void ContentType_StripsParameters(string header, string expected)
    {
        var request = new HttpRequestData("POST", "/");
        request.Headers["content-type"] = header;

        Assert.Equal(expected, request.ContentType);
    }

    [Fact]
    public void ContentType_NoHeader_IsNull()
    {
        Assert.Null(new HttpRequestData("POST", "/").ContentType);
    }

    [Fact]
    public void ReadJson_ValidBody_ReturnsValue()
    {
        var request = new HttpRequestData("POST", "/") { Body = Encoding.UTF8.GetBytes("""{"name":"Ada"}""") };

        Assert.Equal(new Greeting("Ada"), request.ReadJson(TestJsonContext.Default.Greeting));
    }

    [Fact]
    public void ReadJson_InvalidBody_ThrowsInvalidInputWithFieldError()
    {
        var request = new HttpRequestData("POST", "/") { Body = Encoding.UTF8.GetBytes("""{"Name": [1]}""") };

        var e = Assert.Throws<InvalidInputException>(() => request.ReadJson(TestJsonContext.Default.Greeting));

        Assert.StartsWith("The request body is not a valid Greeting", e.Message, StringComparison.Ordinal);
        Assert.True(e.Errors.ContainsKey("Name"));
    }

    [Fact]
    public void ReadJson_EmptyBody_ThrowsInvalidInputSayingEmpty()
    {
        var e = Assert.Throws<InvalidInputException>(() => new HttpRequestData("POST", "/").ReadJson(TestJsonContext.Default.Greeting));

        Assert.Contains("is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadText_DecodesUtf8()
    {
        var request = new HttpRequestData("POST", "/") { Body = Encoding.UTF8.GetBytes("gr\u00fc\u00df dich") };

        Assert.Equal("gr\u00fc\u00df dich", request.ReadText());
    }

    [Fact]
    public void RouteValues_AreCaseInsensitive()
    {
        var request = new HttpRequestData("GET", "/orders/1");
        request.RouteValues["id"] = "1";

        Assert.Equal("1", request.RouteValues["ID"]);
    }

    [Fact]
    public void Query_NamesAreCaseSensitive()
    {
        var request = new HttpRequestData("GET", "/");
        request.Query.Add("page", "2");

        Assert.Equal("2", request.Query["page"]);
        Assert.Null(request.Query["Page"]);
    }
}
