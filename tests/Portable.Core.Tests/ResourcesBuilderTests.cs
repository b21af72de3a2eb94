using Portable.Core.Tests.Fixtures;

namespace Portable.Core.Tests;

public sealed class ResourcesBuilderTests
{
    [Fact]
    public void AddRepository_SameTypeWithTwoNames_ThrowsNamingBoth()
    {
        var builder = TestApp.CreateBuilder();
        builder.Resources.AddRepository<Order>("orders");

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Resources.AddRepository<Order>("orders-archive"));

        Assert.Contains("Order is declared for two repository names, 'orders' and 'orders-archive'", e.Message, StringComparison.Ordinal);
        Assert.Contains("wrap it in a distinct type", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddQueue_SameTypeWithTwoNames_Throws()
    {
        var builder = TestApp.CreateBuilder();
        builder.Resources.AddQueue<Invoice>("invoices");

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Resources.AddQueue<Invoice>("invoices-2"));

        Assert.Contains("two queue names", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRepository_SameNameForTwoTypes_Throws()
    {
        var builder = TestApp.CreateBuilder();
        builder.Resources.AddRepository<Order>("documents");

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Resources.AddRepository<Invoice>("documents"));

        Assert.Contains("The repository name 'documents' is declared for two types", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRepository_SameTypeAndNameTwice_IsHarmless()
    {
        var app = TestApp.Build(b => b.Resources.AddRepository<Order>("orders").AddRepository<Order>("orders"));

        Assert.Single(app.Catalog.Repositories);
        Assert.Equal("orders", app.Catalog.GetRepository<Order>().Name);
    }

    [Fact]
    public void AddRepositoryAndAddQueue_SameNameAndType_AreIndependent()
    {
        var app = TestApp.Build(b => b.Resources.AddRepository<Order>("orders").AddQueue<Order>("orders"));

        Assert.Equal("orders", app.Catalog.GetRepository<Order>().Name);
        Assert.Equal("orders", app.Catalog.GetQueue<Order>().Name);
    }

    [Fact]
    public void AddTopic_Twice_IsListedOnce()
    {
        var app = TestApp.Build(b => b.Resources.AddTopic("alerts").AddTopic("alerts"));

        Assert.Equal(["alerts"], app.Catalog.Topics);
    }

    [Theory]
    [InlineData("orders table")]
    [InlineData("orders:eu")]
    public void AddRepository_UnportableName_Throws(string name)
    {
        var builder = TestApp.CreateBuilder();

        var e = Assert.Throws<PortableConfigurationException>(() => builder.Resources.AddRepository<Order>(name));

        Assert.Contains($"The repository name '{name}' is not portable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RepositoryTypeMissingFromJsonContexts_ThrowsNamingRepository()
    {
        var builder = TestApp.CreateBuilder();
        builder.Resources.AddRepository<UnregisteredRequest>("things");

        var e = Assert.Throws<PortableConfigurationException>(builder.Build().Catalog.Validate);

        Assert.Contains("repository 'things'", e.Message, StringComparison.Ordinal);
        Assert.Contains("[JsonSerializable(typeof(UnregisteredRequest))]", e.Message, StringComparison.Ordinal);
    }
}
