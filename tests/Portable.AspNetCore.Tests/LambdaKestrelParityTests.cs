using System.Text;
using Portable.AspNetCore.Tests.Fixtures;

namespace Portable.AspNetCore.Tests;

/// <summary>
/// The same app answers the same request the same way on plain Kestrel and on Lambda, in each event shape: status, the
/// headers that matter and the body bytes.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class LambdaKestrelParityTests(BridgeFixture bridge)
{
    /// <summary>The headers a caller acts on (not Date, Server or the transfer framing, which belong to the transport).</summary>
    private static readonly string[] HeadersThatMatter = ["Content-Type", "Location", "Content-Disposition", "Set-Cookie", "X-Served-By", "Cache-Control"];

    private static readonly Dictionary<string, TestRequest> Requests = new()
    {
        ["route value and query"] = new("GET", "/hello/world", [("greeting", "Hi there")], []),
        ["head"] = new("HEAD", "/hello/world", [], []),
        ["repeated query"] = new("GET", "/items/5", [("tag", "a"), ("tag", "b&c")], []),
        ["json body bound"] = new("POST", "/orders", [], [("Content-Type", "application/json")], Encoding.UTF8.GetBytes("{\"id\":\"o-1\",\"quantity\":21}")),
        ["cookies set"] = new("GET", "/cookies/set", [], []),
        ["cookies read"] = new("GET", "/cookies/echo", [], [("Cookie", "b=2; a=1")]),
        ["binary download"] = new("GET", "/download", [], []),
        ["binary upload"] = new("POST", "/upload", [], [("Content-Type", "application/octet-stream")], TestApp.Binary, BinaryBody: true),
        ["exception handled as problem"] = new("GET", "/boom", [], []),
        ["exception escaping the pipeline"] = new("GET", "/escape", [], []),
        ["no route"] = new("GET", "/nowhere", [], []),
        ["wrong method"] = new("DELETE", "/hello/world", [], []),
    };

    public static TheoryData<Shape, string> Cases()
    {
        var cases = new TheoryData<Shape, string>();
        foreach (var shape in Enum.GetValues<Shape>())
        {
            foreach (var (name, request) in Requests)
            {
                // An ALB without multi-value headers passes only the last value of a repeated query parameter: not the same request.
                if (shape == Shape.Alb && request.HasRepeatedQuery) continue;
                cases.Add(shape, name);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_OnLambda_AnswersAsOnKestrel(Shape shape, string name)
    {
        var request = Requests[name];
        var kestrel = await bridge.SendToKestrelAsync(request);
        var lambda = await bridge.SendToLambdaAsync(shape, request);

        Assert.Equal(kestrel.Status, lambda.Status);
        Assert.Equal(Matter(kestrel, shape), Matter(lambda, shape));
        Assert.Equal(kestrel.Body, lambda.Body);
    }

    [Fact]
    public async Task RequestsOfEveryShape_ActuallyExerciseTheApp()
    {
        // The parity above would hold for an app that answers nothing: check the answers are the app's.
        var order = await bridge.SendToKestrelAsync(Requests["json body bound"]);
        Assert.Equal(201, order.Status);
        Assert.Equal("/orders/o-1", Assert.Single(order.Values("Location")));
        Assert.Equal("{\"id\":\"o-1\",\"total\":42}", order.Text);
        Assert.Equal("item 5 tags a|b&c", (await bridge.SendToKestrelAsync(Requests["repeated query"])).Text);
        Assert.Equal("a=1;b=2", (await bridge.SendToKestrelAsync(Requests["cookies read"])).Text);
        Assert.Equal(2, (await bridge.SendToKestrelAsync(Requests["cookies set"])).Values("Set-Cookie").Count);
        var problem = await bridge.SendToKestrelAsync(Requests["exception handled as problem"]);
        Assert.Equal(500, problem.Status);
        Assert.StartsWith("application/problem+json", Assert.Single(problem.Values("Content-Type")), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", problem.Text, StringComparison.Ordinal);
        Assert.Equal("middleware", Assert.Single((await bridge.SendToKestrelAsync(Requests["route value and query"])).Values("X-Served-By")));
    }

    /// <summary>
    /// The headers that matter, one line each. Values are compared as the shape can carry them: joined with commas (HTTP's own
    /// folding), <c>Set-Cookie</c> one by one; an ALB without multi-value headers carries one value a name, so only the last cookie.
    /// </summary>
    private static string[] Matter(Answer answer, Shape shape)
        => [.. HeadersThatMatter.Where(answer.Headers.ContainsKey).Select(name => name.ToLowerInvariant() + ": " + (name == "Set-Cookie"
            ? string.Join(" | ", shape == Shape.Alb ? [answer.Values(name)[^1]] : answer.Values(name))
            : string.Join(",", answer.Values(name))))];
}
