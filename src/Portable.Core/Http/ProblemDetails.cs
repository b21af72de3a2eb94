using System.Text.Json.Serialization;

namespace Portable;

/// <summary>An RFC 9457 problem document.</summary>
/// <param name="Title">A short summary of the problem type.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Detail">What went wrong this time.</param>
/// <param name="Errors">Field errors by JSON path.</param>
internal sealed record ProblemDetails(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail,
    [property: JsonPropertyName("errors"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors)
{
    /// <summary>A URI reference naming the problem type; <c>about:blank</c> means the status code says it all.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = "about:blank";

    /// <summary>The invocation the problem happened in, to find it in the logs.</summary>
    [JsonPropertyName("invocationId")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InvocationId { get; init; }
}
