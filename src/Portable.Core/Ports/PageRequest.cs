namespace Portable;

/// <summary>Which page of a query to read.</summary>
public readonly record struct PageRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="pageSize">At most this many items, from 1 to 1000.</param>
    /// <param name="continuationToken">The previous page's token, or null for the first page.</param>
    public PageRequest(int pageSize = 100, string? continuationToken = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 1000);
        PageSize = pageSize;
        ContinuationToken = continuationToken;
    }

    /// <summary>At most this many items.</summary>
    public int PageSize { get; }

    /// <summary>The previous page's token, or null for the first page.</summary>
    public string? ContinuationToken { get; }
}
