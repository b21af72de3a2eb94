namespace Portable.Aws.Data;

/// <summary>A set of AWS credentials; temporary ones carry a session token and an expiry.</summary>
internal sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken, DateTimeOffset? Expiration, string Source)
{
    /// <summary>True when the credentials expire within five minutes of <paramref name="now"/> (they are refreshed before that).</summary>
    public bool IsStale(DateTimeOffset now) => Expiration is { } expiry && expiry - now < TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    public override string ToString() => $"{AccessKeyId[..Math.Min(4, AccessKeyId.Length)]}… from {Source}";
}
