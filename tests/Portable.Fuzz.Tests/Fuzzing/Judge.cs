using Portable.Fuzz.Tests.Fixtures;

namespace Portable.Fuzz.Tests.Fuzzing;

/// <summary>The rules that turn an answer into a <see cref="Category"/>, shared by every host.</summary>
internal static class Judge
{
    public static Verdict Silent(bool exited, string what) => exited
        ? new Verdict(Category.Crash, $"the process exited ({what})")
        : new Verdict(Category.Hang, $"no answer within {FuzzHost.Timeout.TotalSeconds:0} s");

    /// <summary>The host closed the connection without a status line.</summary>
    public static Verdict Closed(bool exited, string what) => exited
        ? new Verdict(Category.Crash, $"the process exited ({what})")
        : new Verdict(Category.Unclear, "the connection was closed without an answer");

    /// <summary>An HTTP answer: a 4xx must be a problem document (a framing error may be Kestrel's bare 4xx), a 405 must say <c>Allow</c>.</summary>
    public static Verdict Http(FuzzCase input, int status, string? contentType, string? allow, string body)
    {
        var answer = $"{status} {contentType ?? "(no content type)"}{(allow is null ? "" : " Allow: " + allow)} {Short(body)}";
        if (status >= 500) return new Verdict(input.Expect == Expect.Valid ? Category.HandlerFailure : Category.ServerError, answer);
        if (status is >= 200 and < 300) return new Verdict(input.Expect == Expect.Malformed ? Category.Unclear : Category.Accepted, (input.Expect == Expect.Malformed ? "accepted malformed input: " : "") + answer);
        if (status == 405 && string.IsNullOrEmpty(allow)) return new Verdict(Category.Unclear, "405 without Allow: " + answer);
        if (status is >= 400 and < 500)
        {
            var problem = contentType?.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase) == true;
            return problem || input.Framing
                ? new Verdict(Category.Clear, answer)
                : new Verdict(Category.Unclear, "4xx without a problem document: " + answer);
        }

        return new Verdict(Category.Unclear, answer);
    }

    public static Verdict Http(FuzzCase input, RawResponse response)
        => Http(input, response.Status, response.Header("Content-Type"), response.Header("Allow"), response.BodyText());

    public static string Short(string text, int max = 160)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length > max ? text[..max] + "…" : text;
    }
}
