using Portable.Azure.Data;
using Portable.Contracts;
using Portable.Hosting;

namespace Portable.Azure.Tests;

/// <summary>Every id the portable rule accepts becomes keys Table Storage can hold and address, and decodes back to itself.</summary>
public sealed class TableKeyTests
{
    public static TheoryData<string> AcceptedIdNames => RepositoryContract.AcceptedIdNames;

    [Theory]
    [MemberData(nameof(AcceptedIdNames))]
    public void AnAcceptedId_BecomesKeysUnderOneKiB_WithoutForbiddenCharacters_AndDecodesBack(string name)
    {
        var id = RepositoryContract.AcceptedIds[name];

        var (partitionKey, rowKey) = TableKey.Encode(id);

        Assert.InRange(partitionKey.Length, 1, TableKey.MaxKeyChars);
        Assert.InRange(rowKey.Length, 0, TableKey.MaxKeyChars);
        Assert.DoesNotContain(partitionKey + rowKey, c => c is '/' or '\\' or '#' or '?' or '%' or '\'' || char.IsControl(c));
        Assert.Equal(id, TableKey.Decode(partitionKey, rowKey));
    }

    [Fact]
    public void TheWorstCaseId_256EscapedCharacters_IsSplitOverPartitionKeyAndRowKey()
    {
        var id = new string('/', PortRules.MaxDocumentIdBytes);

        var (partitionKey, rowKey) = TableKey.Encode(id);

        Assert.Equal(3 * PortRules.MaxDocumentIdBytes, partitionKey.Length + rowKey.Length);
        Assert.True(partitionKey.Length <= TableKey.MaxKeyChars && rowKey.Length <= TableKey.MaxKeyChars);
        Assert.Equal(id, TableKey.Decode(partitionKey, rowKey));
    }

    [Fact]
    public void ASplit_NeverCutsASurrogatePair()
    {
        var id = new string('/', 170) + string.Concat(Enumerable.Repeat("\U0001F600", 20));

        var (partitionKey, rowKey) = TableKey.Encode(id);

        Assert.False(char.IsHighSurrogate(partitionKey[^1]));
        Assert.False(rowKey.Length > 0 && char.IsLowSurrogate(rowKey[0]));
        Assert.Equal(id, TableKey.Decode(partitionKey, rowKey));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a/b", "a!2Fb")]
    [InlineData("100%", "100!25")]
    [InlineData("it's!", "it!27s!21")]
    public void EscapedCharacters_AreWrittenAsBangAndHex(string id, string key) => Assert.Equal((key, ""), TableKey.Encode(id));

    [Fact]
    public void DistinctIds_HaveDistinctKeys()
    {
        string[] ids = ["a!2Fb", "a/b", "a!b", "!", "!21", "%21"];

        Assert.Equal(ids.Length, ids.Select(TableKey.Encode).Distinct().Count());
    }
}
