namespace Portable.Core.Tests;

public sealed class TraceContextTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string ParentId = "00f067aa0ba902b7";
    private const string Valid = $"00-{TraceId}-{ParentId}-01";

    [Fact]
    public void TryParse_ValidTraceParent_ReadsIdsFlagsAndState()
    {
        Assert.True(TraceContext.TryParse(Valid, "congo=t61rcWkgMzE", out var context));

        Assert.Equal(TraceId, context.TraceId);
        Assert.Equal(ParentId, context.ParentId);
        Assert.Equal("01", context.Flags);
        Assert.Equal("congo=t61rcWkgMzE", context.TraceState);
        Assert.Equal(Valid, context.TraceParent);
        Assert.Equal(Valid, context.ToString());
    }

    [Fact]
    public void TryParse_SurroundingWhitespace_IsTrimmed()
    {
        Assert.True(TraceContext.TryParse($"  {Valid} ", null, out var context));

        Assert.Equal(TraceId, context.TraceId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_BlankTraceState_IsNull(string? traceState)
    {
        Assert.True(TraceContext.TryParse(Valid, traceState, out var context));

        Assert.Null(context.TraceState);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData($"00-{TraceId}-{ParentId}")]
    [InlineData($"00-4bf92f3577b34da6a3ce929d0e0e473-{ParentId}-01")]
    [InlineData($"00-4bf92f3577b34da6a3ce929d0e0e47361-{ParentId}-01")]
    [InlineData($"00-{TraceId}-00f067aa0ba902b-01")]
    [InlineData($"00-{TraceId}-00f067aa0ba902b71-01")]
    [InlineData($"00-{TraceId}-{ParentId}-1")]
    [InlineData($"00-{TraceId}-{ParentId}-001")]
    [InlineData($"000-{TraceId}-{ParentId}-01")]
    public void TryParse_WrongLengths_ReturnsFalse(string? traceParent)
    {
        Assert.False(TraceContext.TryParse(traceParent, null, out var context));
        Assert.Null(context);
    }

    [Theory]
    [InlineData($"00-00000000000000000000000000000000-{ParentId}-01")]
    [InlineData($"00-{TraceId}-0000000000000000-01")]
    public void TryParse_AllZeroId_ReturnsFalse(string traceParent)
    {
        Assert.False(TraceContext.TryParse(traceParent, null, out _));
    }

    [Fact]
    public void TryParse_VersionFf_ReturnsFalse()
    {
        Assert.False(TraceContext.TryParse($"ff-{TraceId}-{ParentId}-01", null, out _));
    }

    [Fact]
    public void TryParse_Version00WithExtraField_ReturnsFalse()
    {
        Assert.False(TraceContext.TryParse($"{Valid}-extra", null, out _));
    }

    [Fact]
    public void TryParse_HigherVersionWithExtraField_IsAccepted()
    {
        Assert.True(TraceContext.TryParse($"01-{TraceId}-{ParentId}-01-future", null, out var context));

        Assert.Equal(TraceId, context.TraceId);
    }

    [Theory]
    [InlineData($"00-4BF92F3577B34DA6A3CE929D0E0E4736-{ParentId}-01")]
    [InlineData($"00-{TraceId}-00f067aa0ba902gz-01")]
    [InlineData($"00-{TraceId}-{ParentId}-0x")]
    public void TryParse_UpperCaseOrNonHexDigits_ReturnsFalse(string traceParent)
    {
        Assert.False(TraceContext.TryParse(traceParent, null, out _));
    }

    [Fact]
    public void ParseOrNew_ValidHeader_ReturnsParsedContext()
    {
        var context = TraceContext.ParseOrNew(Valid, "a=b");

        Assert.Equal(TraceId, context.TraceId);
        Assert.Equal("a=b", context.TraceState);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("garbage")]
    [InlineData($"ff-{TraceId}-{ParentId}-01")]
    public void ParseOrNew_MissingOrInvalidHeader_StartsValidSampledRoot(string? traceParent)
    {
        var context = TraceContext.ParseOrNew(traceParent, "ignored=1");

        Assert.NotEqual(TraceId, context.TraceId);
        Assert.Equal("01", context.Flags);
        Assert.Null(context.TraceState);
        Assert.True(TraceContext.TryParse(context.TraceParent, null, out var reparsed));
        Assert.Equal(context.TraceId, reparsed.TraceId);
    }

    [Fact]
    public void NewRoot_HasLowerCaseHexIdsOf32And16DigitsAndSampledFlag()
    {
        var context = TraceContext.NewRoot();

        Assert.Matches("^[0-9a-f]{32}$", context.TraceId);
        Assert.Matches("^[0-9a-f]{16}$", context.ParentId);
        Assert.Equal("01", context.Flags);
        Assert.Null(context.TraceState);
        Assert.Equal($"00-{context.TraceId}-{context.ParentId}-01", context.TraceParent);
    }

    [Fact]
    public void NewRoot_TwoCalls_GiveDifferentIds()
    {
        var first = TraceContext.NewRoot();
        var second = TraceContext.NewRoot();

        Assert.NotEqual(first.TraceId, second.TraceId);
        Assert.NotEqual(first.ParentId, second.ParentId);
    }

    [Theory]
    [InlineData(true, "01")]
    [InlineData(false, "00")]
    public void Create_ValidIds_SetsFlagsFromSampled(bool sampled, string flags)
    {
        var context = TraceContext.Create(TraceId, ParentId, sampled);

        Assert.Equal($"00-{TraceId}-{ParentId}-{flags}", context.TraceParent);
    }

    [Theory]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e473")]
    [InlineData("4BF92F3577B34DA6A3CE929D0E0E4736")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e473z")]
    public void Create_InvalidTraceId_ThrowsForTraceId(string traceId)
    {
        var e = Assert.Throws<ArgumentException>(() => TraceContext.Create(traceId, ParentId, true));

        Assert.Equal("traceId", e.ParamName);
    }

    [Theory]
    [InlineData("00f067aa0ba902b")]
    [InlineData("00f067aa0ba902b7a")]
    [InlineData("00F067AA0BA902B7")]
    public void Create_InvalidParentId_ThrowsForParentId(string parentId)
    {
        var e = Assert.Throws<ArgumentException>(() => TraceContext.Create(TraceId, parentId, true));

        Assert.Equal("parentId", e.ParamName);
    }

    [Fact]
    public void TryParse_NonHexVersion_ReturnsFalse()
        => Assert.False(TraceContext.TryParse("zz-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null, out _));

    [Fact]
    public void Create_AllZeroIds_Throw()
    {
        Assert.Throws<ArgumentException>(() => TraceContext.Create("00000000000000000000000000000000", "00f067aa0ba902b7", true));
        Assert.Throws<ArgumentException>(() => TraceContext.Create("4bf92f3577b34da6a3ce929d0e0e4736", "0000000000000000", true));
    }
}
