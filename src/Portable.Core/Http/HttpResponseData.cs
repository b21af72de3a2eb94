using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Portable.Json;

namespace Portable;

/// <summary>A portable HTTP response, written back in the shape the platform expects.</summary>
public sealed class HttpResponseData
{
    /// <summary>Creates a response.</summary>
    /// <param name="statusCode">The status code.</param>
    public HttpResponseData(int statusCode = 200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        StatusCode = statusCode;
    }

    /// <summary>The status code.</summary>
    public int StatusCode { get; set; }

    /// <summary>The headers, including <c>Set-Cookie</c>.</summary>
    public HttpValues Headers { get; } = new();

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>A plain text response.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <param name="text">The body.</param>
    /// <returns>The response, with <c>text/plain; charset=utf-8</c>.</returns>
    public static HttpResponseData Text(int statusCode, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var response = new HttpResponseData(statusCode) { Body = Encoding.UTF8.GetBytes(text) };
        response.Headers["Content-Type"] = "text/plain; charset=utf-8";
        return response;
    }

    /// <summary>A JSON response.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="statusCode">The status code.</param>
    /// <param name="value">The body.</param>
    /// <param name="typeInfo">Its source-generated JSON metadata.</param>
    /// <returns>The response, with <c>application/json; charset=utf-8</c>.</returns>
    public static HttpResponseData Json<T>(int statusCode, T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        var response = new HttpResponseData(statusCode) { Body = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo) };
        response.Headers["Content-Type"] = "application/json; charset=utf-8";
        return response;
    }

    /// <summary>An RFC 9457 problem response (<c>application/problem+json</c>).</summary>
    /// <param name="statusCode">The status code.</param>
    /// <param name="title">A short summary of the problem type.</param>
    /// <param name="detail">What went wrong this time.</param>
    /// <param name="errors">Field errors by JSON path, if any.</param>
    /// <returns>The response.</returns>
    /// <param name="invocationId">The invocation, to find it in the logs; also sent as <c>X-Portable-Invocation-Id</c>.</param>
    public static HttpResponseData Problem(int statusCode, string title, string? detail = null, IReadOnlyDictionary<string, string[]>? errors = null, string? invocationId = null)
    {
        var problem = new ProblemDetails(title, statusCode, detail, errors is { Count: > 0 } ? errors : null) { InvocationId = invocationId };
        var response = new HttpResponseData(statusCode) { Body = JsonSerializer.SerializeToUtf8Bytes(problem, CoreJsonContext.Default.ProblemDetails) };
        response.Headers["Content-Type"] = "application/problem+json";
        if (invocationId is not null) response.Headers["X-Portable-Invocation-Id"] = invocationId;
        return response;
    }

    /// <summary>A 404 problem response.</summary>
    /// <param name="detail">What was not found.</param>
    /// <returns>The response.</returns>
    public static HttpResponseData NotFound(string? detail = null) => Problem(404, "Not Found", detail);
}
