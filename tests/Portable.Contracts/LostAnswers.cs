using System.Net;

namespace Portable.Contracts;

/// <summary>
/// A handler that lets the server apply a write and then throws its answer away, as a network failure or a 503 after the
/// server has committed would: the client only learns that the write may not have happened, and retries it. It loses the
/// answer of every <see cref="EveryNthWrite"/>-th write request, or of the next write after <see cref="LoseNextWrite"/>;
/// which requests are writes is the store's to say. Reads always get their answers.
/// </summary>
/// <param name="isWrite">Says whether a request writes (puts, updates, deletes a document).</param>
public sealed class LostAnswers(Func<HttpRequestMessage, bool> isWrite) : DelegatingHandler
{
    private int _writes;
    private int _lost;
    private int _next = -1;

    /// <summary>Lose the answer of every n-th write request (0: only what <see cref="LoseNextWrite"/> asks).</summary>
    public int EveryNthWrite { get; set; }

    /// <summary>How the answer of an <see cref="EveryNthWrite"/> write is lost; alternates between the two when null (the default).</summary>
    public LostAnswer? How { get; set; }

    /// <summary>How many answers were lost so far.</summary>
    public int Lost => Volatile.Read(ref _lost);

    /// <summary>How many write requests were sent so far.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>Loses the answer of the next write request, the way given.</summary>
    /// <param name="how">How to lose it.</param>
    public void LoseNextWrite(LostAnswer how) => Volatile.Write(ref _next, (int)how);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!isWrite(request)) return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var count = Interlocked.Increment(ref _writes);
        var next = Interlocked.Exchange(ref _next, -1);
        LostAnswer how;
        if (next >= 0) how = (LostAnswer)next;
        else if (EveryNthWrite > 0 && count % EveryNthWrite == 0) how = How ?? (count / EveryNthWrite % 2 == 0 ? LostAnswer.NetworkError : LostAnswer.ServiceUnavailable);
        else return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

        using (var applied = await base.SendAsync(request, cancellationToken).ConfigureAwait(false))
        {
            await applied.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _lost);
        return how == LostAnswer.NetworkError
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "The connection was reset after the request was sent (answer lost by the test).")
            : new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                RequestMessage = request,
                Content = new StringContent("""{"error":"answer lost by the test"}""", System.Text.Encoding.UTF8, "application/json"),
            };
    }
}
