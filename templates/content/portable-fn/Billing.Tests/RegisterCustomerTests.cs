using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Portable;
using Portable.Testing;

namespace Billing.Tests;

public sealed class RegisterCustomerTests
{
    private static FunctionContext Context() => new("test-1", "RegisterCustomer", "test", Substitute.For<IServiceProvider>(), NullLogger.Instance);

    [Fact]
    public async Task Register_ValidCustomer_IsSavedOnce()
    {
        var customers = Substitute.For<IRepository<Customer>>();
        var customer = await new RegisterCustomer(customers).HandleAsync(new RegisterCustomerRequest("Ada", "ada@example.com"), Context(), default);

        Assert.StartsWith("cus-", customer.Id, StringComparison.Ordinal);
        await customers.Received(1).PutAsync(customer.Id, customer, ExpectedVersion.None, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Register_MissingEmail_IsRefusedNamingTheField()
    {
        var customers = Substitute.For<IRepository<Customer>>();
        var error = await Assert.ThrowsAsync<InvalidInputException>(() => new RegisterCustomer(customers).HandleAsync(new RegisterCustomerRequest("Ada", null), Context(), default));
        Assert.Contains("email", error.Errors.Keys);
    }

    [Fact]
    public async Task PostCustomers_ThroughTheLocalHost_Answers201AndStores()
    {
        await using var host = await PortableTestHost.StartAsync(BillingApp.Configure);
        using var client = host.CreateClient();

        var response = await client.PostAsJsonAsync("/customers", new { name = "Ada", email = "ada@example.com" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var customer = await response.Content.ReadFromJsonAsync<Customer>();
        Assert.NotNull(await host.Repository<Customer>().GetAsync(customer!.Id, default));

        var invalid = await client.PostAsJsonAsync("/customers", new { name = "Ada" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }
}
