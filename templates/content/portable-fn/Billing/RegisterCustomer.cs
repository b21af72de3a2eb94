using Portable;

namespace Billing;

/// <summary>POST /customers: validates and saves a customer.</summary>
public sealed class RegisterCustomer(IRepository<Customer> customers) : IFunction<RegisterCustomerRequest, Customer>
{
    public async Task<Customer> HandleAsync(RegisterCustomerRequest input, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (string.IsNullOrWhiteSpace(input.Name)) throw new InvalidInputException("name", "A name is required.");
        if (input.Email is null || !input.Email.Contains('@', StringComparison.Ordinal)) throw new InvalidInputException("email", "An email address is required.");

        var customer = new Customer("cus-" + Guid.NewGuid().ToString("N"), input.Name.Trim(), input.Email.Trim());
        await customers.PutAsync(customer.Id, customer, ExpectedVersion.None, cancellationToken);
        return customer;
    }
}
