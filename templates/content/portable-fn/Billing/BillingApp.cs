using Portable;

namespace Billing;

/// <summary>Wires the functions; Program.cs and the tests call the same method.</summary>
public static class BillingApp
{
    public static void Configure(PortableAppBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AppName ??= "Billing";
        builder.AddJson(BillingJson.Default);
#if (http)
        builder.Resources.AddRepository<Customer>("customers");
        builder.Functions.MapHttp<RegisterCustomer, RegisterCustomerRequest, Customer>("POST /customers", successStatusCode: 201);
#endif
#if (queue)
        builder.Resources.AddRepository<Invoice>("invoices").AddQueue<InvoiceRequested>("invoice-requests").AddTopic(ProcessInvoice.Topic);
        builder.Functions.MapQueue<ProcessInvoice, InvoiceRequested>("invoice-requests");
#endif
#if (schedule)
        builder.Resources.AddRepository<Invoice>("invoices").AddTopic(NightlyReport.Topic);
        builder.Functions.MapSchedule<NightlyReport>("0 2 * * *");
#endif
    }
}
