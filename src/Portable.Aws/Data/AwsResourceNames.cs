using System.Text;

namespace Portable.Aws.Data;

/// <summary>
/// The physical names of the app's resources. The SAM template passes them as environment variables
/// (<c>PORTABLE_TABLE_ORDERS</c>, <c>PORTABLE_QUEUE_ORDER_PLACED</c> with the queue URL, <c>PORTABLE_TOPIC_ORDER_CONFIRMATIONS</c>
/// with the topic ARN, <c>PORTABLE_BUCKET_RECEIPTS</c> with the S3 bucket name); without them the declared names are used as they are.
/// </summary>
internal sealed class AwsResourceNames(Func<string, string?> environment)
{
    public string Table(string repository) => Read("PORTABLE_TABLE_", repository) ?? repository;

    public string? QueueUrl(string queue) => Read("PORTABLE_QUEUE_", queue);

    public string? TopicArn(string topic) => Read("PORTABLE_TOPIC_", topic);

    /// <summary>The physical S3 bucket name of a declared bucket (<c>PORTABLE_BUCKET_RECEIPTS</c>); the declared name without it.</summary>
    public string Bucket(string bucket) => Read("PORTABLE_BUCKET_", bucket) ?? bucket;

    /// <summary>The environment variable suffix of a resource name: upper case, other characters as <c>_</c>.</summary>
    public static string Key(string name)
    {
        var key = new StringBuilder(name.Length);
        foreach (var c in name) key.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        return key.ToString();
    }

    private string? Read(string prefix, string name) => environment(prefix + Key(name)) is { Length: > 0 } value ? value : null;
}
