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
        _pageSize = pageSize;
        ContinuationToken = continuationToken;
    }

    private readonly int _pageSize;

    /// <summary>At most this many items; 100 for <c>default</c> or <c>new PageRequest()</c>.</summary>
    public int PageSize => _pageSize == 0 ? 100 : _pageSize;

    /// <summary>The previous page's token, or null for the first page.</summary>
    public string? ContinuationToken { get; }
}
