using System.Text.Json;
using Portable.Core.Tests.Fixtures;

namespace Portable.Core.Tests;

/// <summary><c>builder.Resources.AddSecret</c>: the portable name rule, the catalog's list and <c>--describe</c>.</summary>
public sealed class SecretsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("1Key")]
    [InlineData("Payments-ApiKey")]
    [InlineData("Payments_ApiKey")]
    [InlineData("Payments:ApiKey")]
    [InlineData("Clé")]
    public void AddSecret_NameOutsideThePortableRule_ThrowsArgumentExceptionSayingTheRule(string name)
    {
        var builder = TestApp.CreateBuilder();

        var e = Assert.ThrowsAny<ArgumentException>(() => builder.Resources.AddSecret(name));

        Assert.Equal("name", e.ParamName);
        if (name.Length > 0) Assert.Contains("ASCII letter, then ASCII letters and digits, at most 127", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSecret_NameOf128Characters_Throws_And127IsAccepted()
    {
        var builder = TestApp.CreateBuilder();

        Assert.Throws<ArgumentException>(() => builder.Resources.AddSecret("K" + new string('x', 127)));
        builder.Resources.AddSecret("K" + new string('x', 126));
    }

    [Fact]
    public void Catalog_ListsEachDeclaredSecretOnce_InDeclarationOrder()
    {
        var app = TestApp.Build(b => b.Resources.AddSecret("PaymentsApiKey").AddSecret("MailPassword").AddSecret("PaymentsApiKey"));

        Assert.Equal(["PaymentsApiKey", "MailPassword"], app.Catalog.Secrets);
    }

    [Fact]
    public void Describe_ListsSecretNames_AndOmitsTheListWhenNoneIsDeclared()
    {
        var with = TestApp.Build(b => b.Resources.AddSecret("PaymentsApiKey"));
        var without = TestApp.Build(_ => { });

        using var json = JsonDocument.Parse(with.Catalog.ToJson());
        Assert.Equal("PaymentsApiKey", Assert.Single(json.RootElement.GetProperty("secrets").EnumerateArray()).GetString());
        using var none = JsonDocument.Parse(without.Catalog.ToJson());
        Assert.False(none.RootElement.TryGetProperty("secrets", out _));
    }
}
