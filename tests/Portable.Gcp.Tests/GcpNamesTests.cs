using Portable.Gcp.Deployment;
using Portable.Gcp.Tests.Fixtures;

namespace Portable.Gcp.Tests;

/// <summary>The names deploy.sh gives services and service accounts fit Google's rules, and stay the same from publish to publish.</summary>
public sealed class GcpNamesTests
{
    private static (GcpNames Names, Portable.Hosting.FunctionCatalog Catalog) Names(string app, params string[] functions)
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = app;
        builder.AddJson(TestJsonContext.Default);
        foreach (var function in functions) builder.Functions.MapQueue<RecordJob, Job>("jobs", function);
        var catalog = builder.Build().Catalog;
        return (new GcpNames(catalog), catalog);
    }

    [Fact]
    public void ShortNames_AreTheAppAndFunctionInLowercase()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "Orders";
        builder.AddJson(TestJsonContext.Default);
        builder.Functions.MapQueue<RecordJob, Job>("jobs", "Send_Confirmation");
        var catalog = builder.Build().Catalog;
        var names = new GcpNames(catalog);

        Assert.Equal(("orders-send-confirmation", "orders-send-confirmation", "orders-invoker"),
            (names.Service(catalog.Functions[0]), names.Account(catalog.Functions[0]), names.Invoker));
    }

    [Fact]
    public void LongNames_AreShortenedWithAStableHash_WithinCloudRunAndIamLimits()
    {
        var function = "ReconcileEveryOutstandingInvoiceAgainstTheLedgerNightly";
        var (first, catalog) = Names("Billing", function);
        var (again, _) = Names("Billing", function);

        var service = first.Service(catalog.Functions[0]);
        var account = first.Account(catalog.Functions[0]);
        Assert.InRange(service.Length, 1, GcpNames.MaxServiceLength);
        Assert.InRange(account.Length, GcpNames.MinAccountLength, GcpNames.MaxAccountLength);
        Assert.Matches("^[a-z][a-z0-9-]*[a-z0-9]$", service);
        Assert.Matches("^[a-z][a-z0-9-]*[a-z0-9]$", account);
        Assert.EndsWith("-" + GcpNames.Hash("billing-" + GcpNames.Slug(function)), account, StringComparison.Ordinal);
        Assert.Equal((service, account), (again.Service(catalog.Functions[0]), again.Account(catalog.Functions[0])));
    }

    [Fact]
    public void FunctionsWhoseNamesMeetInOneSlug_GetDifferentNames_AndNoneTakesTheInvokers()
    {
        var builder = PortableApp.CreateBuilder([]);
        builder.AppName = "a";
        builder.AddJson(TestJsonContext.Default);
        builder.Functions.MapQueue<RecordJob, Job>("jobs", "Send.Mail").MapQueue<RecordJob, Job>("jobs", "Send-Mail").MapQueue<RecordJob, Job>("jobs", "invoker");
        var catalog = builder.Build().Catalog;
        var names = new GcpNames(catalog);

        var services = catalog.Functions.Select(names.Service).ToList();
        var accounts = catalog.Functions.Select(names.Account).Append(names.Invoker).ToList();
        Assert.Equal(services.Count, services.Distinct().Count());
        Assert.Equal(accounts.Count, accounts.Distinct().Count());
        Assert.All(accounts, a => Assert.InRange(a.Length, GcpNames.MinAccountLength, GcpNames.MaxAccountLength));
    }
}
