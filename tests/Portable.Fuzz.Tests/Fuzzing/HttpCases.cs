using System.Text;
using Portable.Fuzz.Tests.Fixtures;

namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>
/// The HTTP cases every Kestrel host gets (Local, Azure forwarded under <c>/api</c>, each GCP HTTP function): the sample's
/// requests with damaged bodies, wrong content types, odd ids, methods no function maps, and raw framing errors.
/// </summary>
internal static class HttpCases
{
    public const string PlaceOrder = "PlaceOrder";
    public const string GetOrder = "GetOrder";
    public const string ListOrders = "ListOrders";
    public const string Hello = "Hello";

    /// <param name="mutator">The seeded generator.</param>
    /// <param name="prefix">The route prefix (<c>/api</c> on Azure).</param>
    /// <param name="target">The process a function's requests go to.</param>
    /// <param name="existingOrder">An order id that is stored, for the valid <c>GET</c>.</param>
    /// <param name="anyPathReachesTheFunction">Every path goes to the one function (the Functions Framework contract), so an unknown path may be answered.</param>
    public static IEnumerable<FuzzCase> Generate(Mutator mutator, string prefix, Func<string, string> target, string existingOrder, bool anyPathReachesTheFunction = false)
    {
        var orders = prefix + "/orders";
        var hello = prefix + "/hello";
        FuzzCase Post(string label, Expect expect, byte[] body, string? contentType = "application/json")
            => new(target(PlaceOrder), label, expect, RawHttp.Request("POST", orders, body, contentType));

        yield return Post("seed: POST /orders", Expect.Valid, Seeds.OrderRequestBytes);
        yield return new FuzzCase(target(Hello), "seed: GET /hello", Expect.Valid, RawHttp.Request("GET", hello + "?name=Ada"));
        yield return new FuzzCase(target(GetOrder), "seed: GET /orders/{stored}", Expect.Valid, RawHttp.Request("GET", orders + "/" + existingOrder));
        yield return Post("overflow: quantity × unitPrice", Expect.Malformed, Encoding.UTF8.GetBytes(Seeds.OverflowingOrder));
        yield return Post("overflow: sum of lines", Expect.Malformed, Encoding.UTF8.GetBytes(Seeds.OverflowingSum));

        foreach (var m in mutator.Json(Seeds.OrderRequest, 180))
        {
            yield return Post("body json: " + m.Label, Oracle.IsValidOrderRequest(m.Bytes) ? Expect.Valid : Expect.Malformed, m.Bytes);
        }

        foreach (var m in mutator.Bytes(Seeds.OrderRequestBytes, 50))
        {
            yield return Post("body bytes: " + m.Label, Oracle.IsValidOrderRequest(m.Bytes) ? Expect.Valid : Expect.Malformed, m.Bytes);
        }

        foreach (var (label, type) in new[] { ("text/plain", "text/plain"), ("xml", "application/xml"), ("none", null), ("form", "application/x-www-form-urlencoded"), ("multipart", "multipart/form-data; boundary=x"), ("garbage", "\u00ff/\u00fe") })
        {
            yield return Post("content type: " + label, Expect.Malformed, Seeds.OrderRequestBytes, type);
        }

        yield return Post("content type: json with charset", Expect.Either, Seeds.OrderRequestBytes, "application/json; charset=utf-8");
        yield return Post("empty body", Expect.Malformed, [], "application/json");

        // GET /orders?customerId=: a customer's orders; without a customer, or with a page token it never gave out, a 400.
        yield return new FuzzCase(target(ListOrders), "seed: GET /orders?customerId=c-1", Expect.Valid, RawHttp.Request("GET", orders + "?customerId=c-1"));
        yield return new FuzzCase(target(ListOrders), "query: no customerId", Expect.Malformed, RawHttp.Request("GET", orders));
        yield return new FuzzCase(target(ListOrders), "query: customerId empty", Expect.Malformed, RawHttp.Request("GET", orders + "?customerId="));
        foreach (var (label, token) in new[] { ("garbage", "%zz%00"), ("not base64", "!!!"), ("encoded NUL", "%00") })
        {
            yield return new FuzzCase(target(ListOrders), "query: pageToken " + label, Expect.Malformed, RawHttp.Request("GET", orders + "?customerId=c-1&pageToken=" + token));
        }

        // A token is opaque: a well-formed one the API never gave out (5000 base64 'A's) may be read as a position by a store; never a 5xx.
        yield return new FuzzCase(target(ListOrders), "query: pageToken huge", Expect.Either, RawHttp.Request("GET", orders + "?customerId=c-1&pageToken=" + new string('A', 5000)));

        foreach (var (label, segment) in Seeds.Ids)
        {
            // Kestrel itself refuses some encoded bytes in a path (%00) with its bare 400, as it does a framing error.
            yield return new FuzzCase(target(GetOrder), "id: " + label, Expect.Either, RawHttp.Request("GET", orders + "/" + segment)) { Framing = segment.Contains("%00", StringComparison.Ordinal) };
        }

        foreach (var (method, path, fn) in new[]
        {
            ("TRACE", hello, Hello), ("FOO", hello, Hello), ("POST", hello, Hello), ("DELETE", orders, PlaceOrder), ("PUT", orders, PlaceOrder),
            ("PATCH", orders + "/o-1", GetOrder), ("DELETE", orders + "/o-1", GetOrder), ("PROPFIND", hello, Hello),
        })
        {
            yield return new FuzzCase(target(fn), $"method: {method} {path}", Expect.Malformed, RawHttp.Request(method, path, method is "POST" or "PUT" ? "{}"u8.ToArray() : null, "application/json"));
        }

        // Methods are case-sensitive (RFC 9110), but answering "get" as GET harms no one: accepted or a clear 405.
        yield return new FuzzCase(target(Hello), "method: get " + hello, Expect.Either, RawHttp.Request("get", hello));
        yield return new FuzzCase(target(Hello), "method: CONNECT " + hello, Expect.Malformed, RawHttp.Request("CONNECT", hello)) { Framing = true };
        var unknownPath = anyPathReachesTheFunction ? Expect.Either : Expect.Malformed;
        yield return new FuzzCase(target(Hello), "path: unknown", unknownPath, RawHttp.Request("GET", prefix + "/no-such-route"));
        yield return new FuzzCase(target(GetOrder), "path: too deep", unknownPath, RawHttp.Request("GET", orders + "/a/b/c"));

        foreach (var c in Framing(hello, orders, target)) yield return c;
    }

    /// <summary>Requests that break HTTP/1.1 itself; Kestrel's bare 400 (or 431) is the clear answer.</summary>
    public static IEnumerable<FuzzCase> Framing(string hello, string orders, Func<string, string> target)
    {
        var body = Seeds.OrderRequestBytes;
        byte[] Head(string text) => Encoding.Latin1.GetBytes(text);
        var post = $"POST {orders} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n";
        (string Label, byte[] Bytes)[] raw =
        [
            ("chunk size ffffffffffffffffff", Head(post + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n") .Concat(body).ToArray()),
            ("chunk size zz", Head(post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")),
            ("chunk longer than its size", Head(post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{\"a\":1}\r\n0\r\n\r\n")),
            ("trailer with 0xFF", [.. Head(post + $"Transfer-Encoding: chunked\r\n\r\n{body.Length:x}\r\n"), .. body, .. Head("\r\n0\r\nX-Trailer: "), 0xFF, 0xFE, .. Head("\r\n\r\n")]),
            ("conflicting Content-Length", [.. Head(post + $"Content-Length: {body.Length}\r\nContent-Length: {body.Length + 1}\r\n\r\n"), .. body]),
            ("Content-Length and chunked", [.. Head(post + $"Content-Length: {body.Length}\r\nTransfer-Encoding: chunked\r\n\r\n{body.Length:x}\r\n"), .. body, .. Head("\r\n0\r\n\r\n")]),
            ("negative Content-Length", Head(post + "Content-Length: -1\r\n\r\n")),
            ("Content-Length abc", Head(post + "Content-Length: abc\r\n\r\n")),
            ("unknown Transfer-Encoding", Head(post + "Transfer-Encoding: gzip\r\n\r\n{}")),
            ("0xFF in the request target", [.. Head("GET " + hello + "/"), 0xFF, .. Head(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")]),
            ("0xFF in the method", [.. Head("GE"), 0xFF, .. Head($"T {hello} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")]),
            ("space in a header name", Head($"GET {hello} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nBad Name: x\r\n\r\n")),
            ("no Host", Head($"GET {hello} HTTP/1.1\r\nConnection: close\r\n\r\n")),
            ("asterisk target on GET", Head("GET * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")),
            ("header of 64 KB", Head($"GET {hello} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Big: {new string('a', 64 * 1024)}\r\n\r\n")),
            ("extra token in the request line", Head($"GET {hello} HTTP/1.1 extra\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")),
        ];
        foreach (var (label, bytes) in raw)
        {
            var fn = label.Contains("Content-Length", StringComparison.Ordinal) || label.Contains("chunk", StringComparison.Ordinal) || label.Contains("trailer", StringComparison.Ordinal) || label.Contains("body", StringComparison.Ordinal) || label.Contains("Transfer", StringComparison.Ordinal)
                ? PlaceOrder : Hello;
            // Content-Length with chunked: RFC 9112 §6.3 lets the server ignore Content-Length, so reading the chunks is right too.
            var expect = label == "Content-Length and chunked" ? Expect.Either : Expect.Malformed;
            yield return new FuzzCase(target(fn), "framing: " + label, expect, bytes) { Framing = true, Channel = "framing" };
        }

        // A header value in Latin-1 is not a framing error everywhere (RFC 9110 calls it obs-text): accepted or a clear 400.
        yield return new FuzzCase(target(Hello), "framing: 0xFF in a header value", Expect.Either,
            [.. Head($"GET {hello} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Bad: "), 0xFF, .. Head("\r\n\r\n")]) { Framing = true, Channel = "framing" };
    }
}
