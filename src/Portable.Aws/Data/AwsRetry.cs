using System.Net;

namespace Portable.Aws.Data;

/// <summary>
/// The retry rule every AWS call shares (the JSON-protocol services and SNS): throttling, 5xx answers and network failures are
/// tried three times in all, with a jittered exponential backoff; any other refusal is thrown at once.
/// </summary>
internal static class AwsRetry
{
    private const int Attempts = 3;

    /// <summary>Runs <paramref name="call"/> until it succeeds, fails for good, or has been tried three times.</summary>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < Attempts && IsTransient(e, cancellationToken))
            {
                var backoff = TimeSpan.FromMilliseconds((50 << attempt) * (0.5 + Random.Shared.NextDouble()));
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>True for a refusal or failure that another attempt may not meet.</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        AwsServiceException refused => (int)refused.StatusCode >= 500 || refused.StatusCode == HttpStatusCode.TooManyRequests
            || refused.ErrorCode is { } code && (code.Contains("Throttl", StringComparison.Ordinal) || code is "ProvisionedThroughputExceededException" or "RequestLimitExceeded"),
        HttpRequestException => true,
        TaskCanceledException => !cancellationToken.IsCancellationRequested, // HttpClient's own timeout
        _ => false,
    };
}
