namespace Portable.Core.Tests;

public sealed class HttpValuesTests
{
    [Fact]
    public void Add_SameNameTwice_KeepsBothValuesInOrder()
    {
        var values = new HttpValues();
        values.Add("Accept", "text/html");
        values.Add("Accept", "application/json");

        Assert.Equal(["text/html", "application/json"], values.GetValues("Accept"));
        Assert.Equal("text/html,application/json", values["Accept"]);
        Assert.Equal(1, values.Count);
    }

    [Fact]
    public void Names_DefaultToCaseInsensitive()
    {
        var values = new HttpValues();
        values.Add("X-Request-Id", "a");
        values.Add("x-request-id", "b");

        Assert.Equal(["a", "b"], values.GetValues("X-REQUEST-ID"));
        Assert.True(values.Contains("x-Request-ID"));
    }

    [Fact]
    public void Names_WithOrdinalComparer_AreCaseSensitive()
    {
        var values = new HttpValues(StringComparer.Ordinal);
        values.Add("q", "1");

        Assert.False(values.Contains("Q"));
        Assert.Empty(values.GetValues("Q"));
    }

    [Fact]
    public void Indexer_Set_ReplacesEveryValue()
    {
        var values = new HttpValues();
        values.Add("Vary", "Accept");
        values.Add("Vary", "Origin");

        values["vary"] = "Cookie";

        Assert.Equal(["Cookie"], values.GetValues("Vary"));
    }

    [Fact]
    public void Indexer_SetNull_RemovesName()
    {
        var values = new HttpValues { ["ETag"] = "\"1\"" };

        values["ETag"] = null;

        Assert.False(values.Contains("ETag"));
        Assert.Equal(0, values.Count);
    }

    [Fact]
    public void Indexer_MissingName_IsNullAndGetValuesIsEmpty()
    {
        var values = new HttpValues();

        Assert.Null(values["Missing"]);
        Assert.Empty(values.GetValues("Missing"));
    }

    [Fact]
    public void Remove_ReportsWhetherNameWasThere()
    {
        var values = new HttpValues();
        values.Add("A", "1");

        Assert.True(values.Remove("a"));
        Assert.False(values.Remove("a"));
    }

    [Fact]
    public void Enumeration_YieldsEachNameWithAllItsValues()
    {
        var values = new HttpValues();
        values.Add("Set-Cookie", "a=1");
        values.Add("Set-Cookie", "b=2");
        values.Add("Location", "/x");

        var pairs = values.ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal(["a=1", "b=2"], pairs["Set-Cookie"]);
        Assert.Equal(["/x"], pairs["Location"]);
    }

    [Fact]
    public void Add_NullNameOrValue_Throws()
    {
        var values = new HttpValues();

        Assert.Throws<ArgumentNullException>(() => values.Add(null!, "v"));
        Assert.Throws<ArgumentNullException>(() => values.Add("n", null!));
    }
}
