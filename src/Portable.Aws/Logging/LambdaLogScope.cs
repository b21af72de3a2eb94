namespace Portable.Aws.Logging;

/// <summary>The Lambda request id of the invocation being handled, for the log lines written while it runs.</summary>
internal static class LambdaLogScope
{
    private static readonly AsyncLocal<string?> Current = new();

    public static string? RequestId
    {
        get => Current.Value;
        set => Current.Value = value;
    }
}
