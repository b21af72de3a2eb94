using System.Text.Json;

namespace Portable.Hosting.Tests.Fixtures;

/// <summary>What a platform answered, reduced to what must be the same on every platform.</summary>
public sealed record HttpAnswer(int Status, string? MediaType, string? Allow, string? Title, int? ProblemStatus, string? InvocationId, string? HeaderInvocationId, string ErrorFields, string Body)
{
    /// <summary>The fields compared across platforms: everything but the invocation ids' values (each invocation has its own).</summary>
    public string Shape => $"{Status} {MediaType} allow=[{Allow}] title=[{Title}] problemStatus={ProblemStatus} invocationId={InvocationId is not null} header={HeaderInvocationId is not null} errors=[{ErrorFields}] text=[{(MediaType?.Contains("problem", StringComparison.Ordinal) == true ? "" : Body)}]";

    public static HttpAnswer From(int status, Func<string, string?> header, string body)
    {
        var mediaType = header("Content-Type")?.Split(';')[0].Trim();
        string? title = null, invocationId = null, errors = "";
        int? problemStatus = null;
        if (mediaType == "application/problem+json")
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            title = root.GetProperty("title").GetString();
            problemStatus = root.GetProperty("status").GetInt32();
            invocationId = root.TryGetProperty("invocationId", out var id) ? id.GetString() : null;
            errors = root.TryGetProperty("errors", out var e) ? string.Join(",", e.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)) : "";
        }

        var allow = header("Allow");
        allow = allow is null ? null : string.Join(", ", allow.Split(',').Select(m => m.Trim()).Order(StringComparer.Ordinal));
        return new HttpAnswer(status, mediaType, allow, title, problemStatus, invocationId, header("X-Portable-Invocation-Id"), errors, body);
    }
}
