namespace Portable.Core.Tests;

public sealed class PortsTests
{
    [Fact]
    public void ExpectedVersion_Exactly_KeepsVersion()
    {
        var expected = ExpectedVersion.Exactly("7");

        Assert.Equal(ExpectedVersionKind.Exactly, expected.Kind);
        Assert.Equal("7", expected.Version);
        Assert.Equal("version 7", expected.ToString());
    }

    [Fact]
    public void ExpectedVersion_ExactlyEmpty_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => ExpectedVersion.Exactly(""));
    }

    [Fact]
    public void ExpectedVersion_ExactlyNull_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ExpectedVersion.Exactly(null!));
    }

    [Fact]
    public void ExpectedVersion_AnyAndNone_HaveNoVersionAndDiffer()
    {
        Assert.Equal(ExpectedVersionKind.Any, ExpectedVersion.Any.Kind);
        Assert.Equal(ExpectedVersionKind.None, ExpectedVersion.None.Kind);
        Assert.Null(ExpectedVersion.Any.Version);
        Assert.NotEqual(ExpectedVersion.Any, ExpectedVersion.None);
        Assert.Equal(ExpectedVersion.Exactly("1"), ExpectedVersion.Exactly("1"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void PageRequest_SizeOutsideOneToThousand_Throws(int pageSize)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PageRequest(pageSize));

        Assert.Equal("pageSize", e.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void PageRequest_SizeAtBounds_IsKept(int pageSize)
    {
        var request = new PageRequest(pageSize, "token");

        Assert.Equal(pageSize, request.PageSize);
        Assert.Equal("token", request.ContinuationToken);
    }

    [Fact]
    public void PageRequest_DefaultSizeArgument_Is100()
    {
        Assert.Equal(100, new PageRequest(continuationToken: null).PageSize);
    }

    [Fact]
    public void ConcurrencyConflictException_NamesDocumentAndExpectation()
    {
        var e = new ConcurrencyConflictException("orders", "o-1", ExpectedVersion.Exactly("3"));

        Assert.Equal("orders", e.Collection);
        Assert.Equal("o-1", e.Id);
        Assert.Equal(ExpectedVersion.Exactly("3"), e.Expected);
        Assert.Contains("'orders/o-1' expected version 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidInputException_ForField_HasThatFieldsError()
    {
        var e = new InvalidInputException("items[0].quantity", "Must be positive.");

        Assert.Equal("Must be positive.", e.Message);
        Assert.Equal(["Must be positive."], e.Errors["items[0].quantity"]);
    }

    [Fact]
    public void PageRequest_ParameterlessNew_HasDefaultSize100()
    {
        Assert.Equal(100, new PageRequest().PageSize);
        Assert.Equal(100, default(PageRequest).PageSize);
    }
}
